import { closeDb, getDb, isHostingEmbedded, type Db } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";

/**
 * The database for a CLI command. While `npm start` runs, the CLI connects to the server's
 * embedded database; when nothing runs, it hosts it itself and brings the schema up to date.
 */
export async function cliDb(): Promise<Db> {
  const db = await getDb();
  if (getEnv().mode === "embedded" && (await isHostingEmbedded())) await migrateDatabase();
  return db;
}

export async function finish(): Promise<void> {
  await closeDb();
}
