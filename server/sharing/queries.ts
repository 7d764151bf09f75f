/** Reads of the sharing ledger history (ledger_txs / ledger_touches), one typed function each. */
import type { PortalLedger } from "../ledger/portal-ledger";

export interface HistoryTx {
  seq: number;
  hash: string;
  type: string;
  dept: string;
  actor: string;
  ts: number;
}

/** The transactions that touched a dataset's entry, its keys or any of its access requests, in ledger order. */
export async function datasetHistory(ledger: PortalLedger, dataset: string, accessIds: readonly string[]): Promise<HistoryTx[]> {
  const { rows } = await ledger.db.query<HistoryTx>(
    `SELECT DISTINCT t.seq, t.hash, t.type, t.dept, t.actor, t.ts FROM ledger_touches h JOIN ledger_txs t ON t.seq = h.seq
      WHERE (h.ns IN ('dataset', 'dskey') AND h.key = $1) OR (h.ns = 'access' AND h.key = ANY($2::text[])) ORDER BY t.seq`,
    [dataset, [...accessIds]],
  );
  return rows;
}

export interface ReadAuditEntry {
  seq: number;
  hash: string;
  dept: string;
  actor: string;
  ts: number;
  purpose: string;
  dataset: string;
  basis: string;
  grant?: string;
  fields: string[];
  records: number;
  query?: string;
}

/**
 * The `data.read` transactions, newest first: of one dataset or all; `owned` (when not null) limits
 * them to reads of those datasets or by department `dept`.
 */
export async function readAudit(ledger: PortalLedger, filter: { dataset?: string; owned: string[] | null; dept: string; limit: number }): Promise<ReadAuditEntry[]> {
  const { rows } = await ledger.db.query<{ seq: number; hash: string; dept: string; actor: string; ts: number; body: string }>(
    `SELECT seq, hash, dept, actor, ts, body FROM ledger_txs WHERE type = 'data.read'
       AND ($1::text IS NULL OR body::jsonb->'payload'->>'dataset' = $1)
       AND ($2::text[] IS NULL OR dept = $3 OR body::jsonb->'payload'->>'dataset' = ANY($2::text[]))
     ORDER BY seq DESC LIMIT $4`,
    [filter.dataset ?? null, filter.owned, filter.dept, filter.limit],
  );
  return rows.map((r) => {
    const body = JSON.parse(r.body) as { purpose?: string; payload: { dataset: string; basis: string; grant?: string; fields: string[]; records: number; query?: string } };
    return { seq: r.seq, hash: r.hash, dept: r.dept, actor: r.actor, ts: Number(r.ts), purpose: body.purpose ?? "", ...body.payload };
  });
}
