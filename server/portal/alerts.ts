/**
 * The home page's inbox: the latest ledger events that concern the user's part of the tree — any
 * transaction submitted by a department in it, or one that wrote a department, user or key in it.
 * Anomalies of ID checks (raised by the verifiers' departments) reach the registry owner's officers.
 */
import type { StoredTx } from "../../chain/store/ledger-store";
import type { PortalLedger } from "../ledger/portal-ledger";
import { listDepartments, listUsers, subtreeIds } from "../ledger/directory";
import type { TxSummary } from "../explorer/describe";
import { ExplorerGovernor } from "../explorer/governance";
import { governedSummary } from "../explorer/governed-read";
import type { SessionUser } from "../auth/resolve-session";

const TX_COLS = `t.seq, t.height, t.idx, t.batch_idx AS "batchIdx", t.hash, t.type, t.dept, t.actor, t.nonce, t.ts, t.body`;

export interface PortalEvent extends TxSummary {
  actorName: string | null;
  deptName: string | null;
  deptNameEn: string | null;
}

export async function latestEventsFor(ledger: PortalLedger, user: SessionUser, limit: number): Promise<PortalEvent[]> {
  const store = ledger.node.store;
  const depts = await listDepartments(store);
  // A system admin oversees the whole city; everyone else their own department and what lies below it.
  const scope = [...subtreeIds(depts, user.role === "sys_admin" ? depts.find((d) => d.parent === null)?.id ?? user.dept : user.dept)];
  const allUsers = await listUsers(store);
  const users = allUsers.filter((u) => scope.includes(u.dept)).map((u) => u.id);
  const keys = scope.map((d) => `k.${d}`);
  // ID-check anomalies are raised by other departments' checks; they belong in the registry owner's inbox.
  const registryOwner = (await store.record<{ owner: string }>("dataset", "identity.registry"))?.value.owner;
  const { rows } = await ledger.db.query<StoredTx>(
    `SELECT ${TX_COLS} FROM ledger_txs t
      WHERE t.dept = ANY($1::text[])
         OR t.seq IN (SELECT h.seq FROM ledger_touches h
                       WHERE (h.ns = 'dept' AND h.key = ANY($1::text[]))
                          OR (h.ns = 'user' AND h.key = ANY($2::text[]))
                          OR (h.ns = 'key' AND h.key = ANY($3::text[]))
                          OR (h.ns = 'idalert' AND $5::boolean))
      ORDER BY t.seq DESC LIMIT $4`,
    [scope, users, keys, limit, !!registryOwner && scope.includes(registryOwner)],
  );
  const deptById = new Map(depts.map((d) => [d.id, d]));
  const nameOf = new Map(allUsers.map((u) => [u.id, u.name]));
  const gov = await ExplorerGovernor.create(ledger, user);
  return rows.map((r) => {
    const e = governedSummary(gov, r);
    const d = deptById.get(e.dept);
    return { ...e, actorName: nameOf.get(e.actor) ?? null, deptName: d?.name ?? null, deptNameEn: d?.nameEn ?? null };
  });
}
