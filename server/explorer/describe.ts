/** Ledger transactions as the portal shows them: decoded, with secrets removed and a one-line subject. */
import type { StoredTx } from "../../chain/store/ledger-store";
import { redactSecrets } from "../ledger/redact";

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

export function subjectOf(type: string, payload: Record<string, unknown> | undefined): string {
  if (!payload) return "";
  if (type === "ledger.genesis") return String((payload.root as { name?: string } | undefined)?.name ?? payload.chainName ?? "");
  if (type === "rule.set") return String(payload.name ?? "");
  if (type === "file.anchor") return String(payload.name ?? payload.fileHash ?? "");
  if (type === "unit.status") return `${String(payload.unit)} → ${String(payload.status)}${payload.incident ? ` (${String(payload.incident)})` : ""}`;
  if (type === "incident.dispatch") return `${String(payload.id)}: ${(payload.units as string[] | undefined)?.join(", ") ?? ""}`;
  if (type === "identity.enrol") return String(payload.key ?? "");
  if (type === "identity.status") return `${String(payload.record)} → ${String(payload.status)}`;
  if (type === "identity.verify") return `${String(payload.id)} · ${String((payload.site as { name?: string } | undefined)?.name ?? "")}`;
  if (type === "identity.alert") return `${String(payload.id)} · ${String(payload.action)}`;
  // Types whose records are not named by an id of their own.
  if (type === "data.read") return `${String(payload.dataset)} · ${String(payload.records)} × ${(payload.fields as string[] | undefined)?.join(", ") ?? ""}`;
  if (type === "dataset.key") return `${String(payload.dataset)}${payload.rotate ? " ↻" : ""}`;
  if (type === "dataset.record") return `${String(payload.dataset)}/${String(payload.key)}`;
  if (type === "sealkey.register") return String(payload.dept ?? "");
  if (type === "telemetry.anchor") return `${String(payload.company ?? "")} · ${String(payload.batch ?? "").slice(0, 12)}`;
  if (type === "mileage.record") return `${String(payload.plate)} · ${String(payload.odometerKm)} km`;
  if (type === "alarm.act") return `${String(payload.id)} · ${String(payload.action)}`;
  const id = payload.id ? String(payload.id) : "";
  const name = payload.name ? String(payload.name) : "";
  return name && id ? `${name} (${id})` : id || name;
}

export function summarizeTx(tx: StoredTx): TxSummary {
  const body = parseBody(tx.body);
  return { seq: tx.seq, height: tx.height, hash: tx.hash, type: tx.type, dept: tx.dept, actor: tx.actor, ts: tx.ts, subject: subjectOf(tx.type, body.payload) };
}

export function describeTx(tx: StoredTx): TxDetail {
  const body = parseBody(tx.body);
  return {
    ...summarizeTx(tx),
    idx: tx.idx,
    nonce: tx.nonce,
    chain: body.chain,
    version: body.v,
    purpose: body.purpose ?? null,
    payload: body.payload ? redactSecrets(body.payload) : null,
    payloadHash: body.payloadHash ?? null,
  };
}
