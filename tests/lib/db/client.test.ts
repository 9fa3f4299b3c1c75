import { sql as raw } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDatabaseUrl, getDb } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

describe("database client", () => {
  it("keeps concurrent queries on several connections apart", async () => {
    const db = await getDb();
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const rows = await db.execute<{ v: number; s: string }>(raw`select ${i}::int as v, ${`x${i}`}::text as s`);
        return rows[0]!.v === i && rows[0]!.s === `x${i}`;
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  });

  it("runs migrations again, even twice at once, without harm", async () => {
    const url = await getDatabaseUrl();
    await Promise.all([runMigrations(url), runMigrations(url)]);
    const db = await getDb();
    const rows = await db.execute<{ n: number }>(raw`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it("stores times as UTC timestamptz", async () => {
    const db = await getDb();
    const rows = await db.execute<{ tz: string }>(raw`select current_setting('TimeZone') as tz`);
    expect(rows[0]!.tz).toBe("UTC");
  });
});
