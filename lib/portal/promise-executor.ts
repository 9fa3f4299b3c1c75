import { and, eq } from "drizzle-orm";
import { dunningCases, dunningSteps, portalRequests, type DunningStep } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { runMessage, runRetry, type StepContext, type StepResult } from "@/lib/dunning/executors";
import { PROMISE_PAUSE_REASON, PROMISE_REMINDER_KEY, PROMISE_RETRY_KEY } from "./promise";

/**
 * The promise's two steps (see promise.ts). Each first ends the promise's own pause — the
 * case opens without a re-plan, so only the promised retry waits — then runs as the
 * engine's ordinary message or retry. A pause for another reason (help, an operator) still
 * defers them, as the engine defers every step of a paused case.
 */

const pausedByPromise = (c: StepContext["c"]) => c.status === "paused" && (c.pauseReason ?? "").startsWith(PROMISE_PAUSE_REASON);

async function settlePromise(db: Db, caseId: string, status: "kept" | "broken", now: Date, data: Record<string, unknown>) {
  await db
    .update(portalRequests)
    .set({ status, resolvedAt: now, data })
    .where(and(eq(portalRequests.caseId, caseId), eq(portalRequests.kind, "promise"), eq(portalRequests.status, "open")));
}

export async function runPromiseStep(db: Db, step: DunningStep, ctx: StepContext, clock: Clock): Promise<StepResult> {
  const now = clock.now();
  const finish = async (status: "canceled", reason: string): Promise<StepResult> => {
    await db.update(dunningSteps).set({ status, outcome: { reason }, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
    return { status, detail: reason };
  };
  if (ctx.c.status !== "open" && ctx.c.status !== "paused") {
    await settlePromise(db, ctx.c.id, ctx.c.status === "recovered" ? "kept" : "broken", now, { caseStatus: ctx.c.status });
    return finish("canceled", `case ${ctx.c.status}`);
  }
  if (ctx.invoice.status !== "open") {
    await settlePromise(db, ctx.c.id, ctx.invoice.status === "paid" ? "kept" : "broken", now, { invoiceStatus: ctx.invoice.status });
    return finish("canceled", `invoice ${ctx.invoice.status}`);
  }

  let c = ctx.c;
  if (pausedByPromise(c)) {
    const [opened] = await db.transaction(async (tx) => {
      const rows = await tx
        .update(dunningCases)
        .set({ status: "open", pausedUntil: null, pauseReason: null, updatedAt: new Date() })
        .where(and(eq(dunningCases.id, c.id), eq(dunningCases.status, "paused")))
        .returning();
      if (rows[0]) await recordCaseEvent(tx, rows[0], now, "resumed", step.key === PROMISE_REMINDER_KEY ? "The promised date is tomorrow: the pause ends with a reminder; the retry follows on the day." : "The promised date has come: the pause ends with the retry.", { stepId: step.id });
      return rows;
    });
    if (opened) c = opened;
  } else if (c.status === "paused") {
    const until = c.pausedUntil && c.pausedUntil > now ? c.pausedUntil : new Date(now.getTime() + 3600_000);
    await db.update(dunningSteps).set({ status: "pending", dueAt: until, leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
    return { status: "deferred", detail: "case paused" };
  }

  const open: StepContext = { ...ctx, c };
  if (step.key === PROMISE_REMINDER_KEY) return runMessage(db, step, open, clock);
  const result = await runRetry(db, step, open, clock);
  const [after] = await db.select({ status: dunningCases.status }).from(dunningCases).where(eq(dunningCases.id, c.id));
  await settlePromise(db, c.id, after?.status === "recovered" ? "kept" : "broken", now, { retry: result.detail });
  return result;
}

export const isPromiseStep = (step: Pick<DunningStep, "key">) => step.key === PROMISE_REMINDER_KEY || step.key === PROMISE_RETRY_KEY;
