import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/drizzle/schema";
import { getEnv } from "@/lib/env";
import { findRunningHost, startEmbeddedHost, type EmbeddedHost } from "./embedded-host";

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A transaction handle; query helpers accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

type State = { db: Db; sql: postgres.Sql; url: string; host?: EmbeddedHost };
let state: Promise<State> | undefined;
let overrideUrl: string | undefined;

export function connect(url: string, options: { max?: number } = {}): { db: Db; sql: postgres.Sql } {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { TimeZone: "UTC" },
  });
  return { sql, db: drizzle(sql, { schema }) as Db };
}

/** Which URL to speak to: DATABASE_URL, else the process hosting the embedded database. */
async function resolve(): Promise<State> {
  const env = getEnv();
  const url = overrideUrl ?? env.databaseUrl ?? (await findRunningHost(env.dataDir));
  if (url) return { ...connect(url), url };
  // Nobody hosts the embedded database: host it here (the CLI when no server runs).
  const host = await startEmbeddedHost({ dataDir: env.dataDir });
  return { ...connect(host.url), url: host.url, host };
}

/** The database, opened on first use (never at module load: `next build` imports routes). */
export async function getDb(): Promise<Db> {
  state ??= resolve().catch((error) => {
    state = undefined;
    throw error;
  });
  return (await state).db;
}

/** The URL getDb() speaks to, for tools that need their own connection (migrations). */
export async function getDatabaseUrl(): Promise<string> {
  await getDb();
  return (await state!).url;
}

/** True when this process itself hosts the embedded database (nobody else had it open). */
export async function isHostingEmbedded(): Promise<boolean> {
  await getDb();
  return Boolean((await state!).host);
}

/** Point this process at a given database (tests, the launcher that hosts PGlite itself). */
export function useDatabaseUrl(url: string): void {
  overrideUrl = url;
}

export async function closeDb(): Promise<void> {
  if (!state) return;
  const current = await state.catch(() => undefined);
  state = undefined;
  if (!current) return;
  await current.sql.end({ timeout: 5 });
  await current.host?.stop();
}
