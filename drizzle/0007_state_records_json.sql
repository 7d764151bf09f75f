-- state_records.value keeps the exact canonical text the ledger wrote (see chain/store/schema.ts).
-- Existing rows keep jsonb's rendering of their values; the auditor compares those as values.
ALTER TABLE "state_records" ALTER COLUMN "value" SET DATA TYPE json USING "value"::json;
