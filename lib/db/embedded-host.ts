import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { serveWire } from "./pglite-wire";

/**
 * The embedded database: one PGlite served on a loopback port (lib/db/pglite-wire.ts), so the app, the CLI and
 * migrations all speak to it with postgres.js exactly as they would to PostgreSQL.
 * PGlite is single-process; whoever hosts it writes `host.json` in the data dir so the
 * others connect instead of opening the files a second time (see docs/decisions.md).
 */

export type EmbeddedHost = { url: string; stop: () => Promise<void> };
type HostFile = { pid: number; port: number | null };

export const MEMORY = "memory://";

const hostFile = (dataDir: string) => path.join(dataDir, "host.json");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHostFile(dataDir: string): HostFile | null {
  try {
    return JSON.parse(readFileSync(hostFile(dataDir), "utf8")) as HostFile;
  } catch {
    return null;
  }
}

export function urlForPort(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

/**
 * The URL of a live host for this data dir, waiting briefly while one is starting;
 * null when nobody hosts it. Stale files (dead pid) are removed.
 */
export async function findRunningHost(dataDir: string, waitMs = 15_000): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const file = readHostFile(dataDir);
    if (!file) return null;
    if (!isAlive(file.pid)) {
      rmSync(hostFile(dataDir), { force: true });
      return null;
    }
    if (file.port) return urlForPort(file.port);
    if (Date.now() > deadline) throw new Error(`The embedded database in ${dataDir} is still starting in process ${file.pid}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Claim the data dir for this process (exclusive create), or say who holds it. */
function claim(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(hostFile(dataDir), JSON.stringify({ pid: process.pid, port: null }), { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const file = readHostFile(dataDir);
      if (file && isAlive(file.pid)) {
        throw new Error(`The embedded database in ${dataDir} is already open in process ${file.pid}.`);
      }
      rmSync(hostFile(dataDir), { force: true });
    }
  }
}

export async function startEmbeddedHost(options: { dataDir: string; port?: number }): Promise<EmbeddedHost> {
  const persistent = options.dataDir !== MEMORY;
  const pgdata = persistent ? path.join(options.dataDir, "pgdata") : undefined;
  if (persistent) claim(options.dataDir);
  try {
    const db = await PGlite.create(pgdata ? { dataDir: pgdata } : {});
    const server = await serveWire(db, { host: "127.0.0.1", port: options.port ?? 0 });
    const port = server.port;
    if (persistent) writeFileSync(hostFile(options.dataDir), JSON.stringify({ pid: process.pid, port }));
    let stopped = false;
    return {
      url: urlForPort(port),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.close();
        await db.close();
        if (persistent && readHostFile(options.dataDir)?.pid === process.pid) rmSync(hostFile(options.dataDir), { force: true });
      },
    };
  } catch (error) {
    if (persistent && existsSync(hostFile(options.dataDir))) rmSync(hostFile(options.dataDir), { force: true });
    throw error;
  }
}
