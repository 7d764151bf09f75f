/**
 * The owner-or-ancestor rule before signing: the same walk as the contracts (chain/contracts/authority.ts)
 * on the projected departments, so a refusal is a clear AccessDeniedError and an allowed write carries the
 * owner's line up to the writer for the contract to check.
 */
import { mayManage, NOT_OWNER } from "../../chain/contracts/authority";
import { geofenceOwner, type AlarmRecord } from "../../chain/contracts/vehicles";
import { AccessDeniedError, NotFoundError } from "../errors";
import type { PortalLedger } from "../ledger/portal-ledger";
import { ancestorsOf } from "../sharing/policy";

export interface Writer {
  dept: string;
  role: string;
}

/**
 * The `authority` line for a write by `me` on a record owned by `ownerDept`: undefined when `me`
 * owns it (or is a system admin, whom the contracts let act anywhere); throws AccessDeniedError otherwise
 * unless `me`'s department is an ancestor of the owner.
 */
export async function authorityLineFor(ledger: PortalLedger, me: Writer, ownerDept: string): Promise<string[] | undefined> {
  if (me.dept === ownerDept || me.role === "sys_admin") return undefined;
  const depts = await departmentTree(ledger);
  const up = ancestorsOf(depts, ownerDept);
  const at = up.indexOf(me.dept);
  const line = at < 0 ? undefined : [ownerDept, ...up.slice(0, at + 1)];
  const byId = new Map(depts.map((d) => [d.id, d]));
  if (!line || !mayManage((id) => byId.get(id), me.dept, ownerDept, line)) throw new AccessDeniedError("not_owner", NOT_OWNER);
  return line;
}

/** Every department with its parent, as the walk needs them. */
export async function departmentTree(ledger: PortalLedger): Promise<{ id: string; parent: string | null }[]> {
  return (await ledger.node.store.records<{ parent?: string | null }>("dept")).map((r) => ({ id: r.key, parent: r.value.parent ?? null }));
}

/** True when `me` may change a record owned by `ownerDept`: the owner, an ancestor of it, or a system admin. */
export function manages(depts: { id: string; parent: string | null }[], me: Writer, ownerDept: string): boolean {
  return me.role === "sys_admin" || me.dept === ownerDept || ancestorsOf(depts, ownerDept).includes(me.dept);
}

/** The geofence's owner, or null when there is no such fence. */
export async function geofenceOwnerOf(ledger: PortalLedger, id: string): Promise<string | null> {
  const g = await ledger.node.store.record<{ owner?: string; defined?: { dept?: string } }>("geofence", id);
  return g ? geofenceOwner(g.value) : null;
}

/** The alarm's owner (the department that raised it); NotFoundError when there is no such alarm. */
export async function alarmOwnerOf(ledger: PortalLedger, id: string): Promise<string> {
  const a = await ledger.node.store.record<AlarmRecord>("alarm", id);
  if (!a) throw new NotFoundError(`未知告警 unknown alarm ${id}`);
  return a.value.owner;
}

/** Adds the line to a payload only when one is needed (a plain JSON payload has no undefined fields). */
export const withAuthority = <P extends object>(payload: P, line: string[] | undefined): P => (line ? { ...payload, authority: line } : payload);
