/** Tables the portal owns (the ledger's own tables live in chain/store/schema.ts). */
export * from "./auth";
