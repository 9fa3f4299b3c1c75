import { and, eq, inArray, like } from "drizzle-orm";
import { dunningCases, dunningSteps, installmentPlans, type DunningStep, type InstallmentPlan } from "@/drizzle/schema";
import { isProviderError } from "@/lib/billing/errors";
import { providerFor } from "@/lib/billing/providers";
import type { PaymentOutcome } from "@/lib/billing/types";
import type { Clock } from "@/lib/clock";
import type { Db, DbOrTx } from "@/lib/db/client";
import { closeCase, recordCaseEvent } from "@/lib/dunning/cases";
import { idempotencyKeyOf, type StepContext, type StepResult } from "@/lib/dunning/executors";
import { formatAmount } from "@/lib/messaging/format";
import { resumeByCustomer } from "./case-state";
import { notifyPortal } from "./notify";
import { categoryOfOutcome, recordChargeOutcome } from "./record-payment";

/**
 * The engine's "installment" step: charge part n of the customer's plan with the step's key
 * (`dunwell:<stepId>`). A paid part is recorded on the plan and the case timeline; the last
 * one pays the invoice and recovers the case. A failed part ends the plan: its other parts
 * are canceled and the case resumes dunning for the rest (re-planned from now). Runs while
 * the case is paused for the plan, so the engine must route these steps here before its
 * pause check (see docs/portal.md, "Wiring").
 */

/** Waits before trying a step again after a provider outage (the engine's schedule); then it counts as failed. */
export const PROVIDER_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000];

export function parseInstallmentKey(key: string): { planId: string; n: number } | null {
  const match = /^installment:([a-z0-9_]+):(\d+)$/.exec(key);
  return match ? { planId: match[1]!, n: Number(match[2]) } : null;
}

async function finish(db: DbOrTx, step: DunningStep, status: "done" | "canceled" | "failed", outcome: Record<string, unknown>): Promise<StepResult> {
  await db.update(dunningSteps).set({ status, outcome, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
  return { status, detail: String(outcome.reason ?? outcome.status ?? outcome.error ?? "") };
}

const setPlan = (tx: DbOrTx, plan: InstallmentPlan, patch: Partial<Pick<InstallmentPlan, "status" | "parts">>) =>
  tx.update(installmentPlans).set({ ...patch, updatedAt: new Date() }).where(eq(installmentPlans.id, plan.id));

export async function runInstallmentStep(db: Db, step: DunningStep, ctx: StepContext, clock: Clock): Promise<StepResult> {
  const now = clock.now();
  const parsed = parseInstallmentKey(step.key);
  const [plan] = parsed
    ? await db.select().from(installmentPlans).where(and(eq(installmentPlans.id, parsed.planId), eq(installmentPlans.caseId, step.caseId), eq(installmentPlans.workspaceId, step.workspaceId)))
    : [];
  const part = plan && parsed ? plan.parts.find((p) => p.n === parsed.n) : undefined;
  if (!plan || !part) return finish(db, step, "canceled", { reason: "no such installment plan or part" });
  if (part.status === "paid") return finish(db, step, "done", { status: "succeeded", repeated: true });
  const live = ctx.c.status === "open" || ctx.c.status === "paused";
  if (plan.status !== "active" || !live || ctx.invoice.status !== "open") {
    if (plan.status === "active" && ctx.invoice.status === "paid") await setPlan(db, plan, { status: "completed" });
    return finish(db, step, "canceled", { reason: plan.status !== "active" ? `plan ${plan.status}` : !live ? `case ${ctx.c.status}` : `invoice ${ctx.invoice.status}` });
  }

  let outcome: PaymentOutcome;
  try {
    outcome = await providerFor(db, ctx.connection, clock).chargeAmount({
      customerExternalId: await customerExternalId(db, ctx),
      invoiceExternalId: ctx.invoice.externalId,
      amount: part.amountMinor,
      currency: plan.currency,
      description: `Installment ${part.n} of ${plan.parts.length}`,
      idempotencyKey: idempotencyKeyOf(step),
    });
  } catch (error) {
    // A provider outage goes back to runPortalStep, which tries the part again later with the same key;
    // any other refusal (the invoice closed meanwhile, a bad request) counts as a failed part.
    if (!isProviderError(error) || (error.retryable && step.runs < PROVIDER_BACKOFF_MS.length)) throw error;
    outcome = { status: "failed", attempt: null, invoice: null };
  }

  const amount = formatAmount(part.amountMinor, plan.currency, "en");
  const result = await db.transaction(async (tx) => {
    await recordChargeOutcome(tx, { workspaceId: ctx.c.workspaceId, connectionId: ctx.connection.id }, outcome, { now, initiatedBy: "dunwell", idempotencyKey: idempotencyKeyOf(step) });
    const declineCode = outcome.attempt?.declineCode ?? outcome.attempt?.failureCode ?? null;
    const parts = plan.parts.map((p) => (p.n === part.n ? { ...p, status: outcome.status === "succeeded" ? ("paid" as const) : ("failed" as const), attemptExternalId: outcome.attempt?.externalId ?? null, declineCode } : p));
    const [c] = await tx.select().from(dunningCases).where(eq(dunningCases.id, ctx.c.id)).for("update");
    await finish(tx, step, "done", { status: outcome.status, declineCode, attemptId: outcome.attempt?.externalId ?? null });
    if (outcome.status === "succeeded") {
      const paidInFull = outcome.invoice?.status === "paid" || parts.every((p) => p.status === "paid");
      await setPlan(tx, plan, { parts, status: paidInFull ? "completed" : "active" });
      await recordCaseEvent(tx, c!, now, "installment_paid", `Installment ${part.n} of ${plan.parts.length} paid: ${amount}.`, { planId: plan.id, part: part.n, stepId: step.id });
      if (paidInFull && (c!.status === "open" || c!.status === "paused")) {
        await closeCase(tx, c!, "recovered", now, `paid in ${plan.parts.length} installments`, { recoveredMinor: c!.amountMinor });
      }
      return "paid" as const;
    }
    // The rest of the plan will not run; dunning takes over the remaining balance.
    await setPlan(tx, plan, { parts: parts.map((p) => (p.status === "scheduled" ? { ...p, status: "canceled" as const } : p)), status: "failed" });
    await tx
      .update(dunningSteps)
      .set({ status: "canceled", reason: "the installment plan ended: a part failed", updatedAt: new Date() })
      .where(and(eq(dunningSteps.caseId, ctx.c.id), inArray(dunningSteps.status, ["pending"]), like(dunningSteps.key, `installment:${plan.id}:%`)));
    const category = categoryOfOutcome(outcome, ctx.connection.provider);
    await tx.update(dunningCases).set({ declineCategory: category, updatedAt: new Date() }).where(eq(dunningCases.id, ctx.c.id));
    await recordCaseEvent(tx, c!, now, "installment_failed", `Installment ${part.n} of ${plan.parts.length} (${amount}) ${outcome.status === "requires_action" ? "needs the customer to authenticate" : `was declined: ${declineCode ?? "unknown reason"}`} (${category}). The plan ended; dunning resumes for the rest.`, {
      planId: plan.id,
      part: part.n,
      category,
    });
    if (c!.status === "paused") await resumeByCustomer(tx, c!, clock, "an installment failed");
    return "failed" as const;
  });
  if (result === "failed") await notifyPortal(db, { kind: "installment_failed", workspaceId: ctx.c.workspaceId, caseId: ctx.c.id, customerId: ctx.c.customerId, planId: plan.id, part: part.n, at: now });
  return { status: "done", detail: outcome.status };
}

async function customerExternalId(db: DbOrTx, ctx: StepContext): Promise<string> {
  const row = await db.query.customers.findFirst({ where: (c, { eq: equals }) => equals(c.id, ctx.c.customerId), columns: { externalId: true } });
  return row!.externalId;
}
