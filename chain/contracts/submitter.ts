/** Who may submit a transaction type: the contract's roles, or the smart-law rule authz.<type> that overrides them. */
import { TxRejectedError, type Contract, type Role, type UserRecord } from "./types.js";

/** The value of a rule authz.<type>. */
export interface AuthzRule {
  roles?: Role[];
  minClearance?: number;
}

/** @throws TxRejectedError("unauthorized") unless `user` (absent: the system actor) may submit `contract.type`. */
export function requireSubmitter(contract: Pick<Contract<unknown>, "type" | "roles">, authz: AuthzRule | undefined, user: UserRecord | undefined): void {
  if (!user) {
    if (!contract.roles.includes("system")) throw new TxRejectedError(`${contract.type} cannot be submitted by the system actor`, "unauthorized");
    return;
  }
  const roles = authz?.roles ?? contract.roles.filter((r): r is Role => r !== "system");
  if (!roles.includes(user.role)) throw new TxRejectedError(`role ${user.role} may not submit ${contract.type}`, "unauthorized");
  if (authz?.minClearance && user.clearance < authz.minClearance) throw new TxRejectedError(`${contract.type} needs clearance ${authz.minClearance}`, "unauthorized");
}
