-- The ledger is append-only, enforced by the database itself: any UPDATE, DELETE or TRUNCATE of a
-- ledger table raises an error, whoever issues it. state_records stays writable (it is a projection
-- that `verify` recomputes and compares).
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_blocks_append_only BEFORE UPDATE OR DELETE ON ledger_blocks FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_blocks_no_truncate BEFORE TRUNCATE ON ledger_blocks FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_block_signatures_append_only BEFORE UPDATE OR DELETE ON ledger_block_signatures FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_block_signatures_no_truncate BEFORE TRUNCATE ON ledger_block_signatures FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_batches_append_only BEFORE UPDATE OR DELETE ON ledger_batches FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_batches_no_truncate BEFORE TRUNCATE ON ledger_batches FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_txs_append_only BEFORE UPDATE OR DELETE ON ledger_txs FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_txs_no_truncate BEFORE TRUNCATE ON ledger_txs FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_touches_append_only BEFORE UPDATE OR DELETE ON ledger_touches FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_touches_no_truncate BEFORE TRUNCATE ON ledger_touches FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
