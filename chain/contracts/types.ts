/**
 * The contract interface. A contract is deterministic: it sees only the transaction, the block's
 * order time and the state keys it declared, and it either writes state or refuses.
 */
import type { z } from "zod";
import type { Json } from "../encoding.js";
import type { TxBody } from "../tx.js";

export const ROLES = ["viewer", "operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"] as const;
export type Role = (typeof ROLES)[number];

/** A refusal by a contract or by the ledger's admission checks; the message is shown to the submitter. */
export class TxRejectedError extends Error {
  constructor(
    message: string,
    readonly code:
      | "malformed"
      | "bad_signature"
      | "unknown_signer"
      | "replay"
      | "stale"
      | "unknown_type"
      | "unauthorized"
      | "refused"
      | "internal",
  ) {
    super(message);
    this.name = "TxRejectedError";
  }
}

export type StateKey = readonly [ns: string, key: string];

export interface KeyRecord {
  id: string;
  publicKey: string;
  dept: string;
  kind: "system" | "dept" | "terminal";
  status: "active" | "revoked";
}

export interface UserRecord {
  id: string;
  dept: string;
  name: string;
  role: Role;
  clearance: number;
  status: "active" | "disabled";
  [k: string]: Json | undefined;
}

export interface ContractContext {
  readonly tx: TxBody;
  readonly hash: string;
  readonly seq: number;
  readonly height: number;
  /** Order time of the block (ms). Use this, never a clock. */
  readonly blockTime: number;
  readonly signer: KeyRecord;
  /** The acting user, absent when the actor is "system". */
  readonly user?: UserRecord;
  get<T = Json>(ns: string, key: string): T | undefined;
  put(ns: string, key: string, value: Json): void;
  del(ns: string, key: string): void;
  /** Current value of a smart-law rule, or undefined when never set. */
  rule<T = Json>(name: string): T | undefined;
  /** Throws TxRejectedError("refused"). */
  refuse(message: string): never;
}

/**
 * Where a payload's values belong in the resource catalogue, for the read policy: the dataset, the
 * payload keys that stand for other catalogued fields, and the record its sealed values are sealed to.
 */
export interface PayloadScope {
  dataset: string;
  /** Payload key -> catalogued field; "*" maps every key that is not a ledger stamp. "__rowkey" is the dataset's row key. */
  alias?: Readonly<Record<string, string>>;
  /** The transaction's stated purpose is this field of the dataset. */
  purposeField?: string;
  /** Key of the record the payload's sealed values belong to (sealing binds them to it). */
  recordKey?: string;
}

/**
 * What the read policy governs in a transaction's payload, declared with its contract:
 * - `scope`: the payload is (part of) a record of a catalogued dataset;
 * - `rows`: the payload carries rows of other transaction types (each governed as its own type);
 * - `public`: nothing in it belongs to a catalogued dataset; the reason says why it may be shown.
 */
export type Governance<P> =
  | { scope(payload: P): PayloadScope | null }
  | { rows(payload: P): { type: string; rows: readonly unknown[]; key: string } }
  /** An access-log entry: its search term (`key`) belongs to the dataset read; the rest is the log's own. */
  | { searchTerm(payload: P): { dataset: string; key: string } }
  | { public: string };

export interface Contract<P = unknown> {
  type: string;
  /** Highest payload version this contract understands. */
  version: number;
  schema: z.ZodType<P>;
  /** Roles allowed to submit by default; the rule `authz.<type>` overrides. "system" means only the system actor. */
  roles: readonly (Role | "system")[];
  /** State keys read beyond the standard ones (signer key, user, dept, rules), derived from the payload only. */
  reads?(tx: TxBody, payload: P): StateKey[];
  /** Smart-law rules the contract consults. */
  rules?: readonly string[];
  apply(ctx: ContractContext, payload: P): void;
  /** State namespaces the contract may write. */
  writes: readonly string[];
  /** How its payload maps onto the catalogue (what the read policy governs). */
  governs: Governance<NoInfer<P>>;
  /** A one-line subject for lists (the record it creates or changes); by default the payload's name and id. */
  subject?(payload: NoInfer<P>): string;
}

export function defineContract<P>(c: Contract<P>): Contract<P> {
  return c;
}

export const ROLE_RANK: Record<Role, number> = {
  viewer: 0,
  operator: 1,
  dispatcher: 2,
  supervisor: 3,
  dept_admin: 4,
  sys_admin: 5,
};
