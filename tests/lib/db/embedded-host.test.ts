import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { connect } from "@/lib/db/client";
import { findRunningHost, startEmbeddedHost } from "@/lib/db/embedded-host";
import { runMigrations } from "@/lib/db/migrate";

describe("embedded database host", () => {
  it("serves one PGlite to other connections and refuses to open the same data twice", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dunwell-host-"));
    const host = await startEmbeddedHost({ dataDir: dir });
    try {
      expect(await findRunningHost(dir)).toBe(host.url);
      await expect(startEmbeddedHost({ dataDir: dir })).rejects.toThrow(/already open in process/);
      await runMigrations(host.url);
      const { sql } = connect((await findRunningHost(dir))!);
      const [row] = await sql`select count(*)::int as n from workspaces`;
      expect(row!.n).toBe(0);
      await sql.end();
    } finally {
      await host.stop();
    }
    expect(existsSync(path.join(dir, "host.json"))).toBe(false);
    expect(await findRunningHost(dir)).toBeNull();
    // Data persists across hosts.
    const again = await startEmbeddedHost({ dataDir: dir });
    const { sql } = connect(again.url);
    const tables = await sql`select count(*)::int as n from information_schema.tables where table_name = 'workspaces'`;
    expect(tables[0]!.n).toBe(1);
    await sql.end();
    await again.stop();
  });
});
