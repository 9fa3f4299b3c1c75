import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from the schema; `npm run db:generate` after a schema change.
export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema/index.ts",
  out: "./drizzle/migrations",
});
