/**
 * Admission: every check a transaction passes before its contract runs, written once for the
 * proposer (LedgerNode.encode), followers and the auditor (decodeTx, BlockExecutor) and the dry run.
 *
 * Stateless: the envelope's schema (canonical text for this chain, when decoded from stored bytes),
 * a known type, a supported version, an inline payload that passes the contract's schema.
 * Stateful (state as it stands for the transaction): the batch signer known and active, the
 * timestamp near the block's time, the nonce unused, the signer of the actor's department, the user
 * known, active and of that department, the department active, and the submitter authorised for
 * the type (chain/contracts/submitter.ts). Checks return their refusal rather than throw where the
 * engine runs them per transaction (a throw costs more than a return on the hot path).
 */
import { isCanonicalText } from "./encoding.js";
import type { ContractRegistry } from "./contracts/index.js";
import { requireSubmitter, type AuthzRule } from "./contracts/submitter.js";
import { TxRejectedError, type Contract, type KeyRecord, type UserRecord } from "./contracts/types.js";
import type { CryptoSuite } from "./signature.js";
import { hashTxText, isPlainEnvelope, txBodySchema, type TxBody } from "./tx.js";

/** Transactions may be at most this far ahead of / behind the block's order time. */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_AGE_MS = 24 * 3600_000;

/** A transaction past its stateless checks: the payload is the one the schema produced (what the contract sees). */
export interface Admitted {
  body: TxBody;
  payload: unknown;
}

const issueOf = (issues: readonly { path: PropertyKey[]; message: string }[], what: string) => `${issues[0].path.map(String).join(".") || what}: ${issues[0].message}`;

/** Stateless: an envelope (already well-formed) against the contract of its type. */
export function admitBody(contracts: ContractRegistry, body: TxBody): Admitted | TxRejectedError {
  const c = contracts.get(body.type);
  if (!c) return new TxRejectedError(`unknown transaction type ${body.type}`, "unknown_type");
  if (body.v > c.version) return new TxRejectedError(`${body.type} v${body.v} not supported (max v${c.version})`, "unknown_type");
  if (body.payload === undefined) return new TxRejectedError(`${body.type} needs an inline payload`, "malformed");
  const parsed = c.schema.safeParse(body.payload);
  if (!parsed.success) return new TxRejectedError(`${body.type}: ${issueOf(parsed.error.issues, "payload")}`, "malformed");
  return { body, payload: parsed.data };
}

/** Stateless, for a transaction being proposed: its envelope's schema, then its contract's. */
export function admitEnvelope(contracts: ContractRegistry, envelope: object): Admitted | TxRejectedError {
  const parsed = txBodySchema.safeParse(envelope);
  if (!parsed.success) return new TxRejectedError(issueOf(parsed.error.issues, "transaction"), "malformed");
  return admitBody(contracts, parsed.data);
}

/**
 * Stateless, for a transaction from its stored text: its id is the hash of these bytes, the text is
 * canonical JSON of a well-formed envelope for this chain, and it passes admitBody.
 */
export function decodeTx(hasher: CryptoSuite["hasher"], contracts: ContractRegistry, text: string, hash: string, chain: string): Admitted | TxRejectedError {
  if (hashTxText(hasher, text) !== hash) return new TxRejectedError("transaction hash does not match its bytes", "malformed");
  const res = decodeBody(text, chain);
  return res instanceof TxRejectedError ? res : admitBody(contracts, res);
}

function decodeBody(text: string, chain: string): TxBody | TxRejectedError {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return new TxRejectedError("transaction is not JSON", "malformed");
  }
  let body: TxBody;
  if (isPlainEnvelope(raw)) body = raw;
  else {
    const parsed = txBodySchema.safeParse(raw);
    if (!parsed.success) return new TxRejectedError(issueOf(parsed.error.issues, "transaction"), "malformed");
    body = parsed.data;
  }
  // On the parsed text (the envelope schema transforms nothing; its keys keep the text's order).
  if (!isCanonicalText(raw, text)) return new TxRejectedError("transaction is not in canonical form", "malformed");
  if (body.chain !== chain) return new TxRejectedError(`transaction is for chain ${body.chain}`, "malformed");
  return body;
}

/** Stateful: the transaction's time against its block's order time. */
export function admitTime(ts: number, blockTime: number): TxRejectedError | null {
  if (ts > blockTime + MAX_FUTURE_MS) return new TxRejectedError("timestamp is in the future", "stale");
  if (ts < blockTime - MAX_AGE_MS) return new TxRejectedError("timestamp is too old", "stale");
  return null;
}

/** Stateful: the key that signs the batch, as it stands before the block (its signature is checked with it). */
export function admitBatchSigner(key: KeyRecord | null | undefined, signerId: string): TxRejectedError | null {
  if (!key) return new TxRejectedError(`unknown signer ${signerId}`, "unknown_signer");
  if (key.status !== "active") return new TxRejectedError(`signer ${signerId} is revoked`, "unknown_signer");
  return null;
}

export const replayed = (body: Pick<TxBody, "actor" | "nonce">) => new TxRejectedError(`nonce ${body.nonce} already used by ${body.actor}`, "replay");

/** State as the transaction sees it (the standard keys every transaction declares). */
export interface AdmissionView {
  get<T>(ns: string, key: string): T | undefined;
}

/**
 * Stateful: who acts. The signer (as the block sees it now) signs for the actor's department, the
 * user is known, active and of that department (or the system key acts as "system"), the department
 * is active, and the submitter may submit the type (smart law: the rule authz.<type> may override
 * the contract's roles).
 * @throws TxRejectedError("unauthorized")
 */
export function admitActor(view: AdmissionView, contract: Pick<Contract<unknown>, "type" | "roles">, body: TxBody, signerId: string): { signer: KeyRecord; user: UserRecord | undefined } {
  const signer = view.get<KeyRecord>("key", signerId)!;
  let user: UserRecord | undefined;
  if (body.actor === "system") {
    if (signer.kind !== "system") throw new TxRejectedError("only the system key acts as 'system'", "unauthorized");
  } else {
    if (signer.dept !== body.dept) throw new TxRejectedError(`key ${signerId} does not sign for ${body.dept}`, "unauthorized");
    user = view.get<UserRecord>("user", body.actor);
    if (!user) throw new TxRejectedError(`unknown actor ${body.actor}`, "unauthorized");
    if (user.status !== "active") throw new TxRejectedError(`actor ${body.actor} is disabled`, "unauthorized");
    if (user.dept !== body.dept) throw new TxRejectedError(`actor ${body.actor} does not belong to ${body.dept}`, "unauthorized");
  }
  if (body.type !== "ledger.genesis") {
    const dept = view.get<{ status: string }>("dept", body.dept);
    if (!dept) throw new TxRejectedError(`unknown department ${body.dept}`, "unauthorized");
    if (dept.status !== "active") throw new TxRejectedError(`department ${body.dept} is disabled`, "unauthorized");
  }
  requireSubmitter(contract, view.get<{ value: AuthzRule }>("rule", `authz.${body.type}`)?.value, user);
  return { signer, user };
}
