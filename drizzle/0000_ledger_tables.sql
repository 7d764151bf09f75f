CREATE TABLE "ledger_batches" (
	"height" bigint NOT NULL,
	"idx" integer NOT NULL,
	"signer" text NOT NULL,
	"signature" char(128) NOT NULL,
	"tx_hashes" text NOT NULL,
	CONSTRAINT "ledger_batches_height_idx_pk" PRIMARY KEY("height","idx")
);
--> statement-breakpoint
CREATE TABLE "ledger_block_signatures" (
	"height" bigint NOT NULL,
	"signer" text NOT NULL,
	"signature" char(128) NOT NULL,
	CONSTRAINT "ledger_block_signatures_height_signer_pk" PRIMARY KEY("height","signer")
);
--> statement-breakpoint
CREATE TABLE "ledger_blocks" (
	"height" bigint PRIMARY KEY NOT NULL,
	"hash" char(64) NOT NULL,
	"prev_hash" char(64) NOT NULL,
	"time" bigint NOT NULL,
	"tx_root" char(64) NOT NULL,
	"history_root" char(64) NOT NULL,
	"writes_root" char(64) NOT NULL,
	"tx_count" integer NOT NULL,
	"first_seq" bigint NOT NULL,
	"proposer" text NOT NULL,
	"header" text NOT NULL,
	CONSTRAINT "ledger_blocks_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "ledger_touches" (
	"ns" text NOT NULL,
	"key" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "ledger_touches_ns_key_seq_pk" PRIMARY KEY("ns","key","seq")
);
--> statement-breakpoint
CREATE TABLE "ledger_txs" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"height" bigint NOT NULL,
	"idx" integer NOT NULL,
	"batch_idx" integer NOT NULL,
	"hash" char(64) NOT NULL,
	"type" text NOT NULL,
	"dept" text NOT NULL,
	"actor" text NOT NULL,
	"nonce" text NOT NULL,
	"ts" bigint NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "state_records" (
	"ns" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "state_records_ns_key_pk" PRIMARY KEY("ns","key")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_txs_hash_uq" ON "ledger_txs" USING btree ("hash");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_txs_nonce_uq" ON "ledger_txs" USING btree ("dept","actor","nonce");--> statement-breakpoint
CREATE INDEX "ledger_txs_height_idx" ON "ledger_txs" USING btree ("height","idx");--> statement-breakpoint
CREATE INDEX "ledger_txs_type_idx" ON "ledger_txs" USING btree ("type","seq");--> statement-breakpoint
CREATE INDEX "ledger_txs_actor_idx" ON "ledger_txs" USING btree ("actor","seq");--> statement-breakpoint
CREATE INDEX "state_records_seq_idx" ON "state_records" USING btree ("ns","seq");