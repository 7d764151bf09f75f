import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./chain/store/schema.ts", "./server/db/schema/auth.ts", "./server/db/schema/identity.ts"],
  out: "./drizzle",
});
