import { runMigrations } from "../../lib/db/migrate";

/** On PostgreSQL, migrate once before the workers start (PGlite workers migrate their own). */
export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) await runMigrations(url);
}
