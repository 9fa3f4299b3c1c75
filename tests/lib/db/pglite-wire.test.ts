import { PGlite } from "@electric-sql/pglite";
import { sql as raw } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWire, type WireServer } from "@/lib/db/pglite-wire";

let pg: PGlite;
let server: WireServer;
const client = (max = 10) => postgres({ host: "127.0.0.1", port: server.port, user: "postgres", database: "postgres", max, onnotice: () => {} });

beforeAll(async () => {
  pg = await PGlite.create();
  server = await serveWire(pg);
  await pg.exec("create table wire_t (id serial primary key, v int not null)");
});
afterAll(async () => {
  await server.close();
  await pg.close();
});

describe("PGlite wire server", () => {
  it("keeps unnamed statements of concurrent connections apart, transactions included", async () => {
    const sql = client(10);
    const db = drizzle(sql);
    let wrong = 0;
    await Promise.all(
      Array.from({ length: 1500 }, async (_, i) => {
        if (i % 10 === 0) {
          await db.transaction(async (tx) => {
            await tx.execute(raw`insert into wire_t (v) values (${i})`);
            const [row] = await tx.execute<{ v: number }>(raw`select ${i}::int as v`);
            if (row!.v !== i) wrong++;
          });
          return;
        }
        const [row] = await db.execute<{ v: number; s: string }>(raw`select ${i}::int as v, ${`x${i}`}::text as s`);
        if (row!.v !== i || row!.s !== `x${i}`) wrong++;
      }),
    );
    expect(wrong).toBe(0);
    const [count] = await sql`select count(*)::int as n from wire_t`;
    expect(count!.n).toBe(150);
    await sql.end();
  });

  it("rolls back a transaction whose connection dies, and lets the others go on", async () => {
    const doomed = client(1);
    const reserved = await doomed.reserve();
    await reserved`begin`;
    await reserved`insert into wire_t (v) values (-1)`;
    const other = client(1);
    const waiting = other`select count(*)::int as n from wire_t where v = -1`;
    await doomed.end({ timeout: 0 });
    const [row] = await waiting;
    expect(row!.n).toBe(0);
    await other.end();
  });
});
