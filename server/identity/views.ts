/** How ID-verification reads are shown: a verifier's own checks, and the names behind the owner's review tables. */
import type { IdCheck } from "../../chain/contracts/identity";
import { listDepartments, listUsers } from "../ledger/directory";
import type { PortalLedger } from "../ledger/portal-ledger";

/** What a verifier sees of a check: the answer, where and why — not the person's registry key. */
export const forVerifier = (c: IdCheck) => ({ id: c.id, time: c.time, seq: c.seq, purpose: c.purpose, site: c.site.name, result: c.result, duplicate: !!c.duplicate, photo: !!c.photo });

/** Display names of departments and users, for the owner's review tables. */
export async function namesOf(ledger: PortalLedger) {
  const store = ledger.node.store;
  const [depts, users] = await Promise.all([listDepartments(store), listUsers(store)]);
  return {
    depts: Object.fromEntries(depts.map((d) => [d.id, { name: d.name, nameEn: d.nameEn }])),
    users: Object.fromEntries(users.map((u) => [u.id, { name: u.name, dept: u.dept, status: u.status }])),
  };
}
