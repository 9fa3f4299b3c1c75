import { and, eq, inArray } from "drizzle-orm";
import { dunningSteps, installmentPlans, type InstallmentPart, type InstallmentPlan } from "@/drizzle/schema";
import { isProviderError } from "@/lib/billing/errors";
import { providerFor } from "@/lib/billing/providers";
import type { PaymentOutcome } from "@/lib/billing/types";
import type { Db, DbOrTx } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { formatAmount } from "@/lib/messaging/format";
import { holdPlannedSteps, lockLiveCase, pauseByCustomer } from "./case-state";
import { isOwing, type PortalCase } from "./context";
import { installmentOptions, type InstallmentOption } from "./installments";
import { notifyPortal } from "./notify";
import { categoryOfOutcome, recordChargeOutcome } from "./record-payment";

/**
 * Choosing a plan: the plan is stored first (so its first part's idempotency key exists
 * before any charge), the first part is charged on the saved card, and once it is paid the
 * case pauses ("installment plan"), the policy's pending steps are held and parts 2..n
 * become engine steps of kind "installment" (lib/portal/installment-executor.ts runs them).
 * A first part that needs 3-D Secure waits in a pending plan until the customer
 * authenticates; choosing again reuses the pending plan and its keys, so nothing is charged twice.
 */

export const INSTALLMENT_PAUSE_REASON = "installment plan";
export const installmentStepKey = (planId: string, n: number) => `installment:${planId}:${n}`;
export const firstPartKey = (planId: string) => `portal:installment:${planId}:1`;

export type PlanChoice =
  | { status: "active"; plan: InstallmentPlan }
  | { status: "requires_action"; plan: InstallmentPlan; reference: string | null }
  | { status: "declined"; plan: InstallmentPlan; category: string; declineCode: string | null };

export function optionsFor(p: PortalCase): InstallmentOption[] {
  if (!isOwing(p)) return [];
  return installmentOptions({ balanceMinor: p.invoice.amountRemaining, bounds: p.policy.installments, now: p.clock.now(), timeZone: p.text.timeZone });
}

export async function livePlanOf(db: DbOrTx, workspaceId: string, caseId: string): Promise<InstallmentPlan | null> {
  const [plan] = await db
    .select()
    .from(installmentPlans)
    .where(and(eq(installmentPlans.workspaceId, workspaceId), eq(installmentPlans.caseId, caseId), inArray(installmentPlans.status, ["pending", "active"])));
  return plan ?? null;
}

/** The plan to charge: the pending one of the same shape, else a new one (a different pending one is dropped: nothing was paid on it). */
async function preparePlan(db: Db, p: PortalCase, option: InstallmentOption): Promise<InstallmentPlan> {
  return db.transaction(async (tx) => {
    const c = await lockLiveCase(tx, p.c.workspaceId, p.customer.id, p.c.id);
    const live = await livePlanOf(tx, c.workspaceId, c.id);
    if (live?.status === "active") throw new AppError("conflict", "This invoice is already on an installment plan.");
    if (live && live.parts.length === option.parts) return live;
    if (live) await tx.update(installmentPlans).set({ status: "canceled", updatedAt: new Date() }).where(eq(installmentPlans.id, live.id));
    const parts: InstallmentPart[] = option.schedule.map((s) => ({ n: s.n, dueAt: s.dueAt.toISOString(), amountMinor: s.amountMinor, status: "scheduled" }));
    const [plan] = await tx
      .insert(installmentPlans)
      .values({ id: newId("plan"), workspaceId: c.workspaceId, caseId: c.id, customerId: p.customer.id, currency: p.invoice.currency, totalMinor: p.invoice.amountRemaining, intervalDays: option.intervalDays, parts })
      .returning();
    return plan!;
  });
}

export async function chooseInstallmentPlan(db: Db, p: PortalCase, parts: number): Promise<PlanChoice> {
  const option = optionsFor(p).find((o) => o.parts === parts);
  if (!option) throw new AppError("invalid_input", "parts: choose one of the plans offered.");
  const plan = await preparePlan(db, p, option);
  const first = plan.parts[0]!;
  const provider = providerFor(db, p.connection, p.clock);
  let outcome: PaymentOutcome;
  try {
    outcome = await provider.chargeAmount({
      customerExternalId: p.customer.externalId,
      invoiceExternalId: p.invoice.externalId,
      amount: first.amountMinor,
      currency: plan.currency,
      description: `Installment 1 of ${plan.parts.length}`,
      idempotencyKey: firstPartKey(plan.id),
    });
  } catch (error) {
    // The plan stays pending; choosing again retries with the same key.
    if (isProviderError(error)) throw new AppError("unavailable", "The payment provider did not answer; nothing was charged twice. Try again in a moment.");
    throw error;
  }
  return applyFirstPartOutcome(db, p, plan, outcome);
}

/**
 * Where the customer authenticates the first part: the sandbox's form, or on Stripe the
 * PaymentIntent itself (the attempt's `pi_…`), which the portal's Stripe page re-reads and
 * finishes with Stripe.js. Other providers' payments cannot be finished here.
 */
function actionReferenceOf(outcome: PaymentOutcome): string | null {
  if (outcome.action?.kind === "sandbox_form") return outcome.action.reference;
  if (outcome.action?.kind === "stripe_payment_element") return outcome.attempt?.externalId ?? null;
  return null;
}

/** What the first part's charge (or its 3-D Secure authentication) decided for a pending plan. */
export async function applyFirstPartOutcome(db: Db, p: PortalCase, plan: InstallmentPlan, outcome: PaymentOutcome): Promise<PlanChoice> {
  const now = p.clock.now();
  const scope = { workspaceId: p.c.workspaceId, connectionId: p.connection.id };
  const attemptExternalId = outcome.attempt?.externalId ?? null;
  const result = await db.transaction(async (tx): Promise<PlanChoice> => {
    await recordChargeOutcome(tx, scope, outcome, { now, initiatedBy: "customer", idempotencyKey: firstPartKey(plan.id) });
    const withFirst = (patch: Partial<InstallmentPart>) => plan.parts.map((part, i) => (i === 0 ? { ...part, ...patch, attemptExternalId } : part));
    if (outcome.status === "requires_action") {
      const reference = actionReferenceOf(outcome);
      const [saved] = await tx.update(installmentPlans).set({ parts: withFirst({ status: "requires_action", actionReference: reference }), updatedAt: new Date() }).where(eq(installmentPlans.id, plan.id)).returning();
      return { status: "requires_action", plan: saved!, reference };
    }
    if (outcome.status !== "succeeded") {
      const declineCode = outcome.attempt?.declineCode ?? outcome.attempt?.failureCode ?? null;
      const [saved] = await tx.update(installmentPlans).set({ status: "failed", parts: withFirst({ status: "failed", declineCode }), updatedAt: new Date() }).where(eq(installmentPlans.id, plan.id)).returning();
      await recordCaseEvent(tx, p.c, now, "installment_declined", `The customer chose ${plan.parts.length} installments, but the first part was declined (${declineCode ?? "unknown reason"}).`, { planId: plan.id });
      return { status: "declined", plan: saved!, category: categoryOfOutcome(outcome, p.connection.provider), declineCode };
    }
    const c = await lockLiveCase(tx, p.c.workspaceId, p.customer.id, p.c.id);
    const [saved] = await tx.update(installmentPlans).set({ status: "active", parts: withFirst({ status: "paid", actionReference: null }), updatedAt: new Date() }).where(eq(installmentPlans.id, plan.id)).returning();
    await holdPlannedSteps(tx, c.id, "installment:", "held: the customer is paying in installments");
    await pauseByCustomer(tx, c, { until: null, reason: INSTALLMENT_PAUSE_REASON }, now);
    const later = saved!.parts.slice(1);
    if (later.length) {
      await tx.insert(dunningSteps).values(
        later.map((part) => ({
          id: newId("step"),
          workspaceId: c.workspaceId,
          caseId: c.id,
          kind: "installment" as const,
          key: installmentStepKey(plan.id, part.n),
          dueAt: new Date(part.dueAt),
          reason: `installment ${part.n} of ${saved!.parts.length} (${formatAmount(part.amountMinor, plan.currency, "en")}) of the customer's plan`,
        })),
      );
    }
    const schedule = saved!.parts.map((part) => `${formatAmount(part.amountMinor, plan.currency, "en")} on ${part.dueAt.slice(0, 10)}${part.n === 1 ? " (paid)" : ""}`).join(", ");
    await recordCaseEvent(tx, c, now, "installment_plan", `The customer chose ${saved!.parts.length} installments: ${schedule}.`, { planId: plan.id, parts: saved!.parts });
    return { status: "active", plan: saved! };
  });
  if (result.status === "active") await notifyPortal(db, { kind: "installment_confirmed", workspaceId: p.c.workspaceId, caseId: p.c.id, customerId: p.customer.id, planId: plan.id, at: p.clock.now() });
  return result;
}

/** The pending plan whose first part waits for this 3-D Secure reference, if any. */
export async function planAwaiting(db: DbOrTx, p: PortalCase, reference: string): Promise<InstallmentPlan | null> {
  const plan = await livePlanOf(db, p.c.workspaceId, p.c.id);
  return plan?.status === "pending" && plan.parts[0]?.actionReference === reference ? plan : null;
}
