/**
 * Who may use what: the role sets that tRPC procedures declare in their meta and that pages and app
 * tiles check. Shared by server and browser, so a tile is shown exactly when its procedures allow.
 */
import { ROLES, type Role } from "../chain/contracts/types";

export { ROLES, type Role };

export interface Access {
  roles: readonly Role[];
  minClearance?: number;
}

export interface AccessSubject {
  role: Role;
  clearance: number;
}

export const ALL_ROLES: readonly Role[] = ROLES;
export const ADMIN: Access = { roles: ["dept_admin", "sys_admin"] };
export const SYS_ADMIN: Access = { roles: ["sys_admin"] };
/** The command-centre big screen: every portal role (a kiosk signs in once as a viewer). */
export const BIGSCREEN: Access = { roles: ["viewer", "operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"] };
/** The ledger explorer: staff who handle ledger data, clearance 2 and up (viewers see only their portal). */
export const EXPLORER: Access = { roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"], minClearance: 2 };

export function allows(access: Access, who: AccessSubject | null | undefined): boolean {
  if (!who) return false;
  return access.roles.includes(who.role) && who.clearance >= (access.minClearance ?? 1);
}
