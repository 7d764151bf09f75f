DROP INDEX "ledger_txs_height_idx";--> statement-breakpoint
DROP INDEX "ledger_txs_type_idx";--> statement-breakpoint
DROP INDEX "ledger_txs_actor_idx";--> statement-breakpoint
DROP INDEX "state_records_seq_idx";