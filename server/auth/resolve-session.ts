/**
 * Turns a session cookie into the signed-in user, re-read from the ledger projection on every
 * request: a role change applies at once, and a disabled user (or department) is signed out.
 */
import type { PortalLedger } from "../ledger/portal-ledger";
import { getDepartment, getUser, type PublicUser } from "../ledger/directory";
import { deleteSession, findSession } from "./sessions";

export interface SessionUser extends PublicUser {
  deptName: string;
  deptNameEn: string;
  deptKind: "city" | "district" | "bureau";
  bureau?: string;
}

export interface Session {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

export async function resolveSession(ledger: PortalLedger, token: string | undefined): Promise<Session | null> {
  const row = await findSession(ledger.db, token);
  if (!row || !token) return null;
  const user = await getUser(ledger.node.store, row.userId);
  const dept = user ? await getDepartment(ledger.node.store, user.dept) : null;
  if (!user || user.status !== "active" || !dept || dept.status !== "active") {
    await deleteSession(ledger.db, token);
    return null;
  }
  const { credential: _secret, ...pub } = user;
  return { token, expiresAt: row.expiresAt, user: { ...pub, deptName: dept.name, deptNameEn: dept.nameEn, deptKind: dept.kind, ...(dept.bureau ? { bureau: dept.bureau } : {}) } };
}
