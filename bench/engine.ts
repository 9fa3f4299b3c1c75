/**
 * npm run bench:engine — 10,000 due steps on the sandbox provider (retries that charge the
 * sandbox and re-plan, and messages), run by the engine (claim with SKIP LOCKED + execute),
 * against a raw SQL claim-and-update loop over the same number of rows in the same run.
 * Prints steps/s of each and their ratio. PGlite in memory, or DATABASE_URL when set.
 */
import { sql } from "drizzle-orm";
import { dunningCases, dunningSteps } from "@/drizzle/schema";
import { addConnection, getConnection } from "@/lib/billing/connections";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { contextFor } from "@/lib/billing/providers";
import { deliverSandboxConnection } from "@/lib/billing/sandbox-delivery";
import { createCustomer, createSubscription, renewSubscription, type SandboxContext } from "@/lib/billing/sandbox/simulate";
import { fixedClock } from "@/lib/clock";
import { closeDb, getDb, useDatabaseUrl } from "@/lib/db/client";
import { MEMORY, startEmbeddedHost } from "@/lib/db/embedded-host";
import { runMigrations } from "@/lib/db/migrate";
import { claimDueSteps, executeStep } from "@/lib/dunning/engine";
import { getEnv } from "@/lib/env";
import { newId } from "@/lib/ids";
import { createWorkspace } from "@/lib/workspaces";

const STEPS = Number(process.env.BENCH_STEPS ?? 10_000);
const PER_CASE = 10;
const CASES = Math.ceil(STEPS / PER_CASE);

process.env.LOG_LEVEL ??= "warn";
const host = getEnv().databaseUrl ? null : await startEmbeddedHost({ dataDir: MEMORY });
const url = getEnv().databaseUrl ?? host!.url;
useDatabaseUrl(url);
await runMigrations(url);
const db = await getDb();
const clock = fixedClock("2026-03-02T08:00:00Z");

const t0 = performance.now();
const ws = await createWorkspace(db, { name: `Engine bench ${Date.now()}` }, { kind: "system" });
const view = await addConnection(db, { provider: "sandbox", workspaceId: ws.id }, { kind: "system" });
const connection = await getConnection(db, view.id, ws.id);
const sandbox = contextFor(db, connection, clock);
// Sandbox set-up in batches of 50 per transaction (far fewer commits on the embedded database).
for (let start = 0; start < CASES; start += 50) {
  await db.transaction(async (tx) => {
    for (let i = start; i < Math.min(CASES, start + 50); i++) await makeFailingRenewal({ db: tx, connectionId: sandbox.connectionId, clock }, i);
  });
}
async function makeFailingRenewal(ctx: SandboxContext, i: number) {
  const customer = await createCustomer(ctx, { email: `bench${i}@example.com`, name: `Bench ${i}`, currency: "eur", paymentMethod: i % 2 ? "tok_generic_decline" : { token: "tok_visa", declineUntil: "2026-03-02T09:00:00Z" } });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planName: "Pro", amount: 4900, currency: "eur", interval: "month" });
  await renewSubscription(ctx, subscription.id);
}
await deliverSandboxConnection(db, connection, { clock });
await processPendingInbox(db, clock, 100_000);
const cases = await db.select({ id: dunningCases.id }).from(dunningCases).where(sql`${dunningCases.workspaceId} = ${ws.id}`);
// Replace each case's plan with PER_CASE steps due now: one retry on the sandbox and messages.
await db.delete(dunningSteps).where(sql`${dunningSteps.workspaceId} = ${ws.id}`);
const due = new Date(clock.now().getTime() + 3600_000);
const rows = cases.flatMap((c) =>
  Array.from({ length: PER_CASE }, (_, k) => ({
    id: newId("step"),
    workspaceId: ws.id,
    caseId: c.id,
    kind: (k === 0 ? "retry" : "message") as "retry" | "message",
    key: `bench:${k}`,
    dueAt: new Date(due.getTime() - k * 1000),
    template: k === 0 ? null : "reminder",
    channel: k === 0 ? null : "email",
    tone: "neutral",
  })),
);
for (let i = 0; i < rows.length; i += 1000) await db.insert(dunningSteps).values(rows.slice(i, i + 1000));
const setupSeconds = (performance.now() - t0) / 1000;

// The engine: claim 50 at a time, execute each (provider call, record, re-plan).
const now = new Date(due.getTime() + 60_000);
const engineStart = performance.now();
let executed = 0;
for (;;) {
  const claimed = await claimDueSteps(db, { now, limit: 50 });
  if (claimed.length === 0) break;
  for (const step of claimed) {
    await executeStep(db, step, { clock: { now: () => now } });
    executed++;
  }
}
const engineSeconds = (performance.now() - engineStart) / 1000;

// Baseline: the same number of rows, claimed with the same SKIP LOCKED query shape and marked done, no work.
await db.execute(sql`create temporary table if not exists bench_raw (id text primary key, status text not null, due_at timestamptz not null)`);
await db.execute(sql`delete from bench_raw`);
await db.execute(sql`insert into bench_raw select 'r' || g, 'pending', now() - interval '1 minute' from generate_series(1, ${executed}) g`);
const rawStart = performance.now();
let rawDone = 0;
for (;;) {
  const claimed = await db.execute<{ id: string }>(sql`
    with due as (select id from bench_raw where status = 'pending' and due_at <= now() order by due_at, id limit 50 for update skip locked)
    update bench_raw set status = 'running' from due where bench_raw.id = due.id returning bench_raw.id`);
  if (claimed.length === 0) break;
  for (const row of claimed) {
    await db.execute(sql`update bench_raw set status = 'done' where id = ${row.id}`);
    rawDone++;
  }
}
const rawSeconds = (performance.now() - rawStart) / 1000;

const engineRate = executed / engineSeconds;
const rawRate = rawDone / rawSeconds;
console.log(`database: ${host ? "PGlite (in memory)" : "PostgreSQL"}; setup ${setupSeconds.toFixed(1)} s for ${cases.length} sandbox cases`);
console.log(`engine  : ${executed} steps in ${engineSeconds.toFixed(1)} s = ${engineRate.toFixed(0)} steps/s (claim + provider call + record + re-plan)`);
console.log(`raw SQL : ${rawDone} rows in ${rawSeconds.toFixed(1)} s = ${rawRate.toFixed(0)} rows/s (claim + update only)`);
console.log(`ratio engine/raw: ${(engineRate / rawRate).toFixed(3)}`);
await closeDb();
await host?.stop();
