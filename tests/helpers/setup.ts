import { afterAll, beforeAll } from "vitest";
import { closeDb, useDatabaseUrl } from "@/lib/db/client";
import { MEMORY, startEmbeddedHost, type EmbeddedHost } from "@/lib/db/embedded-host";
import { runMigrations } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";

let host: EmbeddedHost | undefined;

beforeAll(async () => {
  const env = getEnv();
  if (env.databaseUrl) {
    useDatabaseUrl(env.databaseUrl);
    return;
  }
  host = await startEmbeddedHost({ dataDir: MEMORY });
  useDatabaseUrl(host.url);
  await runMigrations(host.url);
});

afterAll(async () => {
  await closeDb();
  await host?.stop();
});
