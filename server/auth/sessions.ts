/**
 * Server-side sessions in `auth_sessions`. The cookie holds a random 32-byte token; the table holds
 * its SHA-256, the user id and the expiry. Sessions slide: each use pushes the expiry forward, up to
 * an absolute lifetime.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../../chain/store/db";

/** Idle timeout: a shift's break. */
export const SESSION_IDLE_MS = 2 * 3600_000;
/** Absolute lifetime: one shift. */
export const SESSION_MAX_MS = 12 * 3600_000;

export interface SessionRow {
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(db: Queryable, userId: string, meta: { ip?: string; userAgent?: string }, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + SESSION_IDLE_MS;
  await db.query(
    "INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES ($1,$2,$3,$3,$4,$5,$6)",
    [hashToken(token), userId, now, expiresAt, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null],
  );
  return { token, expiresAt };
}

/** The live session for a token, touched (sliding expiry); null when unknown or expired. */
export async function findSession(db: Queryable, token: string | undefined, now = Date.now()): Promise<SessionRow | null> {
  if (!token || !TOKEN.test(token)) return null;
  const { rows } = await db.query<SessionRow>(
    `SELECT token_hash AS "tokenHash", user_id AS "userId", created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"
       FROM auth_sessions WHERE token_hash = $1`,
    [hashToken(token)],
  );
  const s = rows[0];
  if (!s) return null;
  if (s.expiresAt <= now || s.createdAt + SESSION_MAX_MS <= now) {
    await deleteSession(db, token);
    return null;
  }
  // Touch at most once a minute to keep reads cheap.
  if (now - s.lastSeenAt > 60_000) {
    const expiresAt = Math.min(now + SESSION_IDLE_MS, s.createdAt + SESSION_MAX_MS);
    await db.query("UPDATE auth_sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1", [s.tokenHash, now, expiresAt]);
    return { ...s, lastSeenAt: now, expiresAt };
  }
  return s;
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query("DELETE FROM auth_sessions WHERE token_hash = $1", [hashToken(token)]);
}

/** Ends every session of a user (after disabling them or resetting their password). */
export async function deleteUserSessions(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM auth_sessions WHERE user_id = $1", [userId]);
}

export async function purgeExpiredSessions(db: Queryable, now = Date.now()): Promise<void> {
  await db.query("DELETE FROM auth_sessions WHERE expires_at <= $1", [now]);
}
