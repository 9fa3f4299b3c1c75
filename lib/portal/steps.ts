import { eq } from "drizzle-orm";
import { dunningSteps, type DunningStep } from "@/drizzle/schema";
import { isProviderError } from "@/lib/billing/errors";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { StepContext, StepResult } from "@/lib/dunning/executors";
import { logger } from "@/lib/log";
import { parseInstallmentKey, PROVIDER_BACKOFF_MS, runInstallmentStep } from "./installment-executor";
import { isPromiseStep, runPromiseStep } from "./promise-executor";

/**
 * The engine's entry for the steps the portal writes: installment parts and the promise's
 * reminder and retry. They run while their case is paused by the customer's own
 * arrangement, so lib/dunning/engine.ts must call this before its pause check:
 *
 *   if (isPortalStep(step)) return runPortalStep(db, step, row, clock);
 *
 * Errors are handled as the engine handles its own (a provider outage: the same step later
 * with the same key), since the call sits before the engine's try.
 */
export const isPortalStep = (step: Pick<DunningStep, "kind" | "key">): boolean => (step.kind === "installment" && parseInstallmentKey(step.key) !== null) || isPromiseStep(step);

export async function runPortalStep(db: Db, step: DunningStep, ctx: StepContext, clock: Clock): Promise<StepResult> {
  try {
    return step.kind === "installment" ? await runInstallmentStep(db, step, ctx, clock) : await runPromiseStep(db, step, ctx, clock);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isProviderError(error) && error.retryable && step.runs < PROVIDER_BACKOFF_MS.length) {
      const wait = Math.max(PROVIDER_BACKOFF_MS[step.runs - 1] ?? 60_000, error.retryAfterMs ?? 0);
      await db.update(dunningSteps).set({ status: "pending", dueAt: new Date(clock.now().getTime() + wait), leaseUntil: null, outcome: { error: message }, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
      return { status: "deferred", detail: message };
    }
    logger.warn(`portal step ${step.id} failed`, { error: message });
    await db.update(dunningSteps).set({ status: "failed", outcome: { error: message }, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
    return { status: "failed", detail: message };
  }
}
