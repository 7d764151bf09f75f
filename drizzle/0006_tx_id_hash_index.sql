DROP INDEX "ledger_txs_hash_uq";--> statement-breakpoint
CREATE INDEX "ledger_txs_hash_idx" ON "ledger_txs" USING hash ("hash");