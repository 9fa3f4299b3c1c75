import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

export const STATE_FILE = path.join("test-results", "e2e-state.json");
export const DATA_DIR = path.join("test-results", "e2e-data");

export type E2EState = { pid: number; demoLink: string; port: number };

export function readState(): E2EState {
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as E2EState;
}

/** The real CLI, against the running server's embedded database. */
export async function dunwell(args: string[]): Promise<unknown> {
  const { port } = readState();
  const { stdout } = await promisify(execFile)(process.execPath, ["bin/dunwell.mjs", ...args, "--json"], {
    env: { ...process.env, DUNWELL_DATA_DIR: DATA_DIR, PORT: String(port), APP_URL: `http://localhost:${port}` },
  });
  return JSON.parse(stdout);
}

/** A portal link from e2e/portal-link.ts, run against the app's embedded database (see that file for the options). */
export async function portalLink(...args: string[]): Promise<{ caseId: string; url: string }> {
  const { port } = readState();
  const { stdout } = await promisify(execFile)(process.execPath, ["bin/run-ts.mjs", "e2e/portal-link.ts", ...args], {
    env: { ...process.env, DUNWELL_DATA_DIR: DATA_DIR, PORT: String(port), APP_URL: `http://localhost:${port}` },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { caseId: string; url: string };
}
