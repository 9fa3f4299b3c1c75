import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect, getDatabaseUrl } from "./client";

// An arbitrary constant: every Dunwell instance takes the same lock before migrating.
const MIGRATION_LOCK = 72_616_101;

export const migrationsFolder = path.join(process.cwd(), "drizzle", "migrations");

/**
 * Apply the committed migrations. On PostgreSQL two instances starting together queue on a
 * session advisory lock held on this dedicated connection, so they never race.
 */
export async function runMigrations(url: string): Promise<void> {
  const { db, sql } = connect(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(db, { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Migrate whichever database this process uses. */
export async function migrateDatabase(): Promise<void> {
  await runMigrations(await getDatabaseUrl());
}
