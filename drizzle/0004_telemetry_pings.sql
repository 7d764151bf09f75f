-- Raw telemetry: not ledger data (too many rows), but tamper-evident: each ingest batch's Merkle root
-- is anchored on the ledger (telemetry.anchor), so an edit of any stored ping is detectable.
-- Range-partitioned by ping time (ms since epoch), one partition per Shenzhen day, created on demand
-- by the ingest service; the default partition catches anything outside those.
CREATE TABLE "telemetry_pings" (
  "plate" text NOT NULL,
  "ts" bigint NOT NULL,
  "lon_e6" integer NOT NULL,
  "lat_e6" integer NOT NULL,
  "speed_x10" integer NOT NULL,
  "heading" smallint,
  "batch" char(32) NOT NULL,
  "batch_idx" integer NOT NULL,
  PRIMARY KEY ("plate", "ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "telemetry_pings_default" PARTITION OF "telemetry_pings" DEFAULT;
--> statement-breakpoint
CREATE INDEX "telemetry_pings_batch_idx" ON "telemetry_pings" ("batch", "batch_idx");
