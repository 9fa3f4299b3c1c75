import { and, eq, inArray, sql } from "drizzle-orm";
import { connections, dunningCases, dunningSteps, invoices, type DunningStep } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import { systemClock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { isProviderError } from "@/lib/billing/errors";
import { logger } from "@/lib/log";
import { isPortalStep, runPortalStep } from "@/lib/portal/steps";
import { workspaceClock } from "./clock";
import { runFinalAction, runMessage, runRetry, type StepResult } from "./executors";

/**
 * The engine: claim due steps with FOR UPDATE SKIP LOCKED and a lease (a crashed worker's
 * steps become due again when the lease ends), run each with the idempotency key
 * `dunwell:{stepId}`, record the outcome and re-plan. The in-process ticker and Inngest
 * drive the same two functions.
 */

export const LEASE_MS = 5 * 60_000;

/** Claim up to `limit` due steps. "Due" uses each workspace's clock (sandbox test clocks move it). */
export async function claimDueSteps(db: Db, options: { now?: Date; limit?: number; leaseMs?: number } = {}): Promise<DunningStep[]> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? LEASE_MS));
  const rows = await db.execute<{ id: string }>(sql`
    with due as (
      select s.id
      from dunning_steps s
      join workspaces w on w.id = s.workspace_id
      where (s.status = 'pending' and s.due_at <= ${now.toISOString()}::timestamptz + make_interval(secs => w.clock_offset_ms / 1000.0))
         or (s.status = 'running' and s.lease_until <= ${now.toISOString()}::timestamptz)
      order by s.due_at, s.id
      limit ${options.limit ?? 100}
      for update of s skip locked
    )
    update dunning_steps
       set status = 'running', lease_until = ${leaseUntil.toISOString()}::timestamptz, runs = dunning_steps.runs + 1,
           started_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
      from due
     where dunning_steps.id = due.id
    returning dunning_steps.id`);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  return db.select().from(dunningSteps).where(sql`${dunningSteps.id} in ${ids}`).orderBy(dunningSteps.dueAt, dunningSteps.id);
}

const RETRY_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000];

/** Run one claimed step. Provider calls happen outside any transaction; their results are recorded in one. */
export async function executeStep(db: Db, step: DunningStep, options: { clock?: Clock } = {}): Promise<StepResult> {
  const clock = await workspaceClock(db, step.workspaceId, options.clock ?? systemClock);
  const now = clock.now();
  const [row] = await db
    .select({ c: dunningCases, invoice: invoices, connection: connections })
    .from(dunningCases)
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .innerJoin(connections, eq(connections.id, dunningCases.connectionId))
    .where(and(eq(dunningCases.id, step.caseId), eq(dunningCases.workspaceId, step.workspaceId)));
  if (!row) return finish(db, step, "canceled", { reason: "case not found" });
  // Installment parts and promise steps run while the customer's own arrangement pauses the case.
  if (isPortalStep(step)) return runPortalStep(db, step, row, clock);
  if (row.c.status === "paused") {
    // Wait for the pause to end (or look again in an hour when it has no end date).
    const until = row.c.pausedUntil && row.c.pausedUntil > now ? row.c.pausedUntil : new Date(now.getTime() + 3600_000);
    await db.update(dunningSteps).set({ status: "pending", dueAt: until, leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
    return { status: "deferred", detail: "case paused" };
  }
  if (row.c.status !== "open") return finish(db, step, "canceled", { reason: `case ${row.c.status}` });
  if (row.invoice.status !== "open") return finish(db, step, "canceled", { reason: `invoice ${row.invoice.status}` });

  try {
    switch (step.kind) {
      case "retry":
      case "installment":
        return await runRetry(db, step, row, clock);
      case "message":
        return await runMessage(db, step, row, clock);
      case "final_action":
      case "task":
        return await runFinalAction(db, step, row, clock);
    }
  } catch (error) {
    // A provider outage: try the same step again later with the same idempotency key.
    if (isProviderError(error) && error.retryable && step.runs < RETRY_BACKOFF_MS.length) {
      const wait = Math.max(RETRY_BACKOFF_MS[step.runs - 1] ?? 60_000, error.retryAfterMs ?? 0);
      await db
        .update(dunningSteps)
        .set({ status: "pending", dueAt: new Date(now.getTime() + wait), leaseUntil: null, outcome: { error: error.message }, updatedAt: new Date() })
        .where(eq(dunningSteps.id, step.id));
      return { status: "deferred", detail: error.message };
    }
    logger.warn(`step ${step.id} failed`, { error: String(error) });
    return finish(db, step, "failed", { error: error instanceof Error ? error.message : String(error) });
  }
}

async function finish(db: Db, step: DunningStep, status: "canceled" | "failed", outcome: Record<string, unknown>): Promise<StepResult> {
  await db.update(dunningSteps).set({ status, outcome, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
  return { status, detail: String(outcome.reason ?? outcome.error ?? "") };
}

/** One pass: claim and run due steps until none are left (the ticker, `dunwell engine tick`). */
export async function runDueSteps(db: Db, options: { now?: Date; limit?: number; clock?: Clock } = {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const seen = new Set<string>();
  for (;;) {
    // A step run once in this pass (deferred to a time still due) waits for the next pass.
    const claimed = await claimDueSteps(db, { now: options.now, limit: options.limit ?? 50 });
    const again = claimed.filter((s) => seen.has(s.id)).map((s) => s.id);
    if (again.length) await db.update(dunningSteps).set({ status: "pending", leaseUntil: null }).where(inArray(dunningSteps.id, again));
    const steps = claimed.filter((s) => !seen.has(s.id));
    if (steps.length === 0) return counts;
    for (const step of steps) {
      seen.add(step.id);
      const result = await executeStep(db, step, { clock: options.now ? { now: () => options.now! } : options.clock });
      counts[result.status] = (counts[result.status] ?? 0) + 1;
    }
    if (options.limit && steps.length < options.limit) return counts;
  }
}
