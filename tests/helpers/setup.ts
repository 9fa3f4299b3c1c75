import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { MEMORY, startEmbeddedHost, type EmbeddedHost } from "@/lib/db/embedded-host";
import { runMigrations } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";

/**
 * Each test file gets a database of its own: an in-memory PGlite, or on PostgreSQL a fresh
 * database created beside DATABASE_URL's (the engine claims every due step of a database,
 * so files running side by side must not share one).
 */
let host: EmbeddedHost | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const env = getEnv();
  if (env.databaseUrl) {
    const name = `dunwell_t_${randomBytes(5).toString("hex")}`;
    const admin = postgres(env.databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(env.databaseUrl);
    url.pathname = `/${name}`;
    useDatabaseUrl(url.toString());
    await runMigrations(url.toString());
    dropDatabase = async () => {
      const cleanup = postgres(env.databaseUrl!, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
    return;
  }
  host = await startEmbeddedHost({ dataDir: MEMORY });
  useDatabaseUrl(host.url);
  await runMigrations(host.url);
});

afterAll(async () => {
  await closeDb();
  await host?.stop();
  await dropDatabase?.();
});
