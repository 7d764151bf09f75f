/** Ledger transactions as the portal shows them: header, envelope and a one-line subject made from what the reader may see. */
import { defaultRegistry } from "../../chain/contracts/index";
import type { StoredTx } from "../../chain/store/ledger-store";

export interface TxSummary {
  seq: number;
  height: number;
  hash: string;
  type: string;
  dept: string;
  actor: string;
  ts: number;
  /** What the transaction is about: the id (and name) of the record it creates or changes. */
  subject: string;
}

export interface TxDetail extends TxSummary {
  idx: number;
  nonce: string;
  chain: string;
  version: number;
  purpose: string | null;
  payload: Record<string, unknown> | null;
  payloadHash: string | null;
}

interface Body {
  chain: string;
  v: number;
  purpose?: string;
  payload?: Record<string, unknown>;
  payloadHash?: string;
}

function parseBody(text: string): Body {
  try {
    return JSON.parse(text) as Body;
  } catch {
    return { chain: "", v: 0 };
  }
}

/** What a transaction is about, as its contract declares it (by default the payload's name and id). */
export function subjectOf(type: string, payload: Record<string, unknown> | undefined): string {
  if (!payload) return "";
  const declared = defaultRegistry.get(type)?.subject;
  if (declared) {
    try {
      return declared(payload as never);
    } catch {
      return "";
    }
  }
  const id = payload.id ? String(payload.id) : "";
  const name = payload.name ? String(payload.name) : "";
  return name && id ? `${name} (${id})` : id || name;
}

/** A transaction's header fields; its subject and payload are shown only through the read policy (governed-read.ts). */
export function txHeader(tx: StoredTx): Omit<TxSummary, "subject"> {
  return { seq: tx.seq, height: tx.height, hash: tx.hash, type: tx.type, dept: tx.dept, actor: tx.actor, ts: tx.ts };
}

/** The envelope fields of a transaction's body besides its payload. */
export function txEnvelope(tx: StoredTx): Pick<TxDetail, "idx" | "nonce" | "chain" | "version" | "payloadHash"> {
  const body = parseBody(tx.body);
  return { idx: tx.idx, nonce: tx.nonce, chain: body.chain, version: body.v, payloadHash: body.payloadHash ?? null };
}
