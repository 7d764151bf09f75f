/** The signed-in user for server components and pages (one lookup per request). */
import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { allows, type Access } from "@/lib/access";
import { getServices } from "../services";
import { SESSION_COOKIE } from "./cookies";
import { resolveSession, type SessionUser } from "./resolve-session";

export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const { ledger } = await getServices();
  return (await resolveSession(ledger, token))?.user ?? null;
});

/** The signed-in user, or a redirect to /login (coming back to `from`). */
export async function requireUser(from: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(from)}`);
  return user;
}

/** The signed-in user if `access` allows them; otherwise the 403 page (HTTP 403). */
export async function requireAccess(access: Access, from: string): Promise<SessionUser> {
  const user = await requireUser(from);
  if (!allows(access, user)) forbidden();
  return user;
}
