import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getDatabaseUrl } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

const exec = promisify(execFile);

/** Run the real CLI against this test's database (through its loopback URL, as while `npm start` runs). */
async function dunwell(args: string[]) {
  const url = await getDatabaseUrl();
  const env = getEnv();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    DUNWELL_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "dunwell-cli-")),
    AUTH_SECRET: env.authSecret,
    APP_URL: env.appUrl,
  };
  try {
    const { stdout } = await exec(process.execPath, ["bin/dunwell.mjs", ...args], { env: childEnv });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("dunwell CLI", () => {
  it("creates a workspace and prints it as JSON, lists it, and invites an operator with a sign-in link", async () => {
    const created = await dunwell(["workspace", "create", "--name", "Acme CLI", "--json"]);
    expect(created.code).toBe(0);
    const ws = JSON.parse(created.stdout);
    expect(ws).toMatchObject({ name: "Acme CLI", id: expect.stringMatching(/^ws_/) });

    const listed = JSON.parse((await dunwell(["workspace", "list", "--json"])).stdout) as { id: string }[];
    expect(listed.map((w) => w.id)).toContain(ws.id);

    const invited = await dunwell(["operator", "invite", "--workspace", ws.id, "--email", "ops@example.com", "--role", "admin", "--json"]);
    const body = JSON.parse(invited.stdout);
    expect(body).toMatchObject({ email: "ops@example.com", role: "admin", emailed: false });
    expect(body.signInUrl).toMatch(/\/api\/auth\/callback\/email\?/);
  }, 60_000);

  it("fails with a one-line error and exit code 1 on bad input", async () => {
    const result = await dunwell(["operator", "invite", "--workspace", "ws_nope", "--email", "x@example.com", "--role", "viewer", "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: "not_found", message: "No workspace with id ws_nope." } });
  }, 60_000);
});
