/**
 * Who may use what: the role sets that tRPC procedures declare in their meta and that pages and app
 * tiles check. Shared by server and browser, so a tile is shown exactly when its procedures allow.
 */
import { ROLES, type Role } from "../chain/contracts/types";

export { ROLES, type Role };

export interface Access {
  roles: readonly Role[];
  minClearance?: number;
  /**
   * Departments whose staff may use it (besides system admins): by department kind (city,
   * district: the levels above the bureaus) and/or bureau type. Absent: any department.
   */
  units?: { kinds?: readonly ("city" | "district")[]; bureaus?: readonly string[] };
}

export interface AccessSubject {
  role: Role;
  clearance: number;
  /** The subject's department kind and bureau type (needed when an Access names units). */
  deptKind?: string;
  bureau?: string;
}

export const ALL_ROLES: readonly Role[] = ROLES;
export const ADMIN: Access = { roles: ["dept_admin", "sys_admin"] };
export const SYS_ADMIN: Access = { roles: ["sys_admin"] };
/** The command-centre big screen: every portal role (a kiosk signs in once as a viewer). */
export const BIGSCREEN: Access = { roles: ["viewer", "operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"] };
/** The ledger explorer: staff who handle ledger data, clearance 2 and up (viewers see only their portal). */
export const EXPLORER: Access = { roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"], minClearance: 2 };

/** Vehicle supervision: seen by the city and districts, traffic, transport and the emergency services. */
export const SUPERVISION_VIEW: Access = {
  roles: ALL_ROLES,
  units: { kinds: ["city", "district"], bureaus: ["traffic_police", "transport", "emergency", "fire", "health"] },
};
/** Handling alarms and telemetry matters: the traffic police and transport bureaus. */
export const SUPERVISION_WORK: Access = { roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"], units: { bureaus: ["traffic_police", "transport"] } };
/** Defining geofences: supervisors and admins of the traffic police (the contract checks the bureau too). */
export const SUPERVISION_DEFINE: Access = { roles: ["supervisor", "dept_admin", "sys_admin"], units: { bureaus: ["traffic_police"] } };

/** Emergency dispatch: seen by the city and districts and the emergency services. */
const DISPATCH_BUREAUS = ["emergency", "fire", "health", "traffic_police", "public_security", "environment"] as const;
export const DISPATCH_VIEW: Access = { roles: ALL_ROLES, units: { kinds: ["city", "district"], bureaus: DISPATCH_BUREAUS } };
/** Taking calls and dispatching: dispatchers and up of the emergency services (the contracts check involvement). */
export const DISPATCH_WORK: Access = { roles: ["dispatcher", "supervisor", "dept_admin", "sys_admin"], units: { bureaus: DISPATCH_BUREAUS } };
/** A unit's crew reporting its status from the phone: operators and up of the emergency services. */
export const DISPATCH_CREW: Access = { roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"], units: { bureaus: DISPATCH_BUREAUS } };
/** Setting the SLA targets (smart-law rule dispatch.sla): supervisors and admins of the emergency management bureau. */
export const DISPATCH_RULES: Access = { roles: ["supervisor", "dept_admin", "sys_admin"], units: { bureaus: ["emergency"] } };

/** Requesting access to another department's dataset: supervisors and admins (the contract checks the rest). */
export const SHARING_REQUEST: Access = { roles: ["supervisor", "dept_admin", "sys_admin"], minClearance: 2 };

export function allows(access: Access, who: AccessSubject | null | undefined): boolean {
  if (!who) return false;
  if (!access.roles.includes(who.role) || who.clearance < (access.minClearance ?? 1)) return false;
  if (!access.units || who.role === "sys_admin") return true;
  const { kinds, bureaus } = access.units;
  return (!!kinds && kinds.includes(who.deptKind as never)) || (!!bureaus && !!who.bureau && bureaus.includes(who.bureau));
}

/** ID verification desks: hotel registration (district police), transport hubs, hospitals; the server also requires a live `verify` grant. */
export const IDCHECK_USE: Access = { roles: ["operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"], units: { bureaus: ["public_security", "transport", "health"] } };
/** The registry owner's review of ID checks and anomalies (the server also requires the owner department). */
export const IDCHECK_REVIEW: Access = { roles: ["operator", "supervisor", "dept_admin", "sys_admin"], minClearance: 3, units: { bureaus: ["public_security"] } };

/** Registering emergency units and their crews: supervisors and admins of the emergency services. */
export const REGISTRY_UNITS: Access = { roles: ["supervisor", "dept_admin", "sys_admin"], units: { bureaus: DISPATCH_BUREAUS } };
/** Enrolling people and changing card statuses: the public security bureau (the contract checks the registry owner). */
export const REGISTRY_PEOPLE: Access = { roles: ["operator", "supervisor", "dept_admin", "sys_admin"], minClearance: 3, units: { bureaus: ["public_security"] } };
/** The registries app: the departments some registry is shown to (each tab checks its own access). */
export const REGISTRY_APP: Access = { roles: ALL_ROLES, units: { kinds: ["city", "district"], bureaus: ["traffic_police", "transport", "emergency", "fire", "health", "public_security"] } };
/** The response-unit registry: the city and districts and the services that run units. */
export const REGISTRY_UNITS_VIEW: Access = { roles: ALL_ROLES, units: { kinds: ["city", "district"], bureaus: ["emergency", "fire", "health", "traffic_police", "public_security"] } };
