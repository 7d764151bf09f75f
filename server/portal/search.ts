/**
 * Global search across users, departments, (for explorer users) transactions by hash prefix and
 * (for dispatch users) incidents by id, address or description.
 */
import type { PortalLedger } from "../ledger/portal-ledger";
import { listDepartments, listUsers, type Department, type PublicUser } from "../ledger/directory";
import type { TxSummary } from "../explorer/describe";
import type { Reader } from "../sharing/policy";
import { ExplorerGovernor, maskWithheld } from "../explorer/governance";
import { governedSummary } from "../explorer/governed-read";
import type { StoredTx } from "../../chain/store/ledger-store";

export interface SearchResults {
  users: PublicUser[];
  departments: Department[];
  transactions: TxSummary[];
  incidents: { id: string; type: string; address: string; status: string; openedAt: number }[];
}

const LIMIT = 8;
const HASH_PREFIX = /^[0-9a-f]{6,64}$/;
const PREFIX_WINDOW = 500_000;

/** Transactions and incidents found are shown through the reader's governor: fields withheld from them read "•••". */
export async function searchPortal(ledger: PortalLedger, reader: Reader, q: string, opts: { includeTransactions: boolean; includeIncidents?: boolean }): Promise<SearchResults> {
  const needle = q.trim().toLowerCase();
  const store = ledger.node.store;
  const [users, depts] = await Promise.all([listUsers(store), listDepartments(store)]);
  const gov = opts.includeTransactions || opts.includeIncidents ? await ExplorerGovernor.create(ledger, reader) : null;
  const match = (...fields: (string | undefined)[]) => fields.some((f) => f?.toLowerCase().includes(needle));
  let transactions: TxSummary[] = [];
  if (opts.includeTransactions && HASH_PREFIX.test(needle)) {
    // A whole id is found anywhere through the id index (it answers equality only); a prefix is
    // looked for among the newest PREFIX_WINDOW transactions, newest first, so a miss stays cheap.
    const cols = `seq, height, idx, batch_idx AS "batchIdx", hash, type, dept, actor, nonce, ts, body`;
    const { rows } =
      needle.length === 64
        ? await ledger.db.query<StoredTx>(`SELECT ${cols} FROM ledger_txs WHERE hash = $1`, [needle])
        : await ledger.db.query<StoredTx>(
            `SELECT ${cols} FROM ledger_txs WHERE seq > (SELECT coalesce(max(seq), 0) FROM ledger_txs) - ${PREFIX_WINDOW} AND hash LIKE $1 ORDER BY seq DESC LIMIT ${LIMIT}`,
            [`${needle}%`],
          );
    transactions = rows.map((t) => governedSummary(gov!, t));
  }
  let incidents: SearchResults["incidents"] = [];
  if (opts.includeIncidents) {
    const { rows } = await ledger.db.query<{ key: string; value: SearchResults["incidents"][number] }>(
      `SELECT key, value FROM state_records WHERE ns = 'incident'
         AND (position($1 in lower(key)) > 0 OR position($1 in lower(value->>'address')) > 0 OR position($1 in lower(value->>'notes')) > 0)
       ORDER BY (value->>'openedAt')::bigint DESC LIMIT ${LIMIT}`,
      [needle],
    );
    incidents = rows.map(({ key, value }) => {
      const i = maskWithheld(gov!.record("incident", key, value).value) as Record<string, string>;
      return { id: i.id, type: i.type, address: i.address, status: i.status, openedAt: value.openedAt };
    });
  }
  return {
    incidents,
    users: users.filter((u) => match(u.id, u.name)).slice(0, LIMIT),
    departments: depts.filter((d) => match(d.id, d.name, d.nameEn)).slice(0, LIMIT),
    transactions,
  };
}
