CREATE TABLE "identity_photos" (
	"hash" text PRIMARY KEY NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sealed" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
