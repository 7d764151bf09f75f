/**
 * Document photos of ID checks: personal data kept off the ledger. Each photo is sealed under the
 * identity registry's key; the ledger holds only its SHA-256 (in the check's `identity.verify`
 * transaction), so any later change of the stored photo is detectable.
 */
import { bigint, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";

export const identityPhotos = pgTable("identity_photos", {
  /** SHA-256 (hex) of the photo bytes as taken: the value anchored on the ledger. */
  hash: text("hash").primaryKey(),
  mime: text("mime").notNull(),
  size: integer("size").notNull(),
  /** The photo, base64, sealed (AES-GCM) under the registry's data key. */
  sealed: jsonb("sealed").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});
