/**
 * Sign-in state. Sessions are auth state, not domain data: they live beside the ledger, never on it.
 * The cookie carries a random token; only its SHA-256 is stored, so a database read leaks no session.
 */
import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";

const int8 = (name: string) => bigint(name, { mode: "number" });

export const authSessions = pgTable(
  "auth_sessions",
  {
    /** SHA-256 (hex) of the session token held in the cookie. */
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: int8("created_at").notNull(),
    lastSeenAt: int8("last_seen_at").notNull(),
    expiresAt: int8("expires_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId), index("auth_sessions_expires_idx").on(t.expiresAt)],
);
