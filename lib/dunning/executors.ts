import { and, eq } from "drizzle-orm";
import { dunningCases, dunningSteps, paymentMethods, type Connection, type DunningCase, type DunningStep, type Invoice } from "@/drizzle/schema";
import { applyNormalizedEvents } from "@/lib/billing/apply";
import { providerFor } from "@/lib/billing/providers";
import type { PaymentOutcome } from "@/lib/billing/types";
import type { Clock } from "@/lib/clock";
import type { Db, DbOrTx } from "@/lib/db/client";
import { classifyAttempt } from "./classify";
import { closeCase, recordCaseEvent } from "./cases";
import { cardHistory, factsOf } from "./facts";
import { sendCaseMessage } from "./messages";
import { checkNetworkRetryAllowed } from "./network-rules";
import { replanCase } from "./replan";
import { recordRetryOutcome } from "./stats";

export type StepResult = { status: "done" | "skipped" | "failed" | "canceled" | "deferred"; detail: string };
export type StepContext = { c: DunningCase; invoice: Invoice; connection: Connection };

export const idempotencyKeyOf = (step: Pick<DunningStep, "id">) => `dunwell:${step.id}`;

async function markStep(tx: DbOrTx, step: DunningStep, status: "done" | "skipped" | "failed", outcome: Record<string, unknown>) {
  await tx.update(dunningSteps).set({ status, outcome, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
}

/** A retry (or an installment charge): the network guard first, then the provider with the step's key. */
export async function runRetry(db: Db, step: DunningStep, ctx: StepContext, clock: Clock): Promise<StepResult> {
  const now = clock.now();
  if (ctx.connection.retryOwner !== "dunwell") {
    await db.transaction(async (tx) => {
      await markStep(tx, step, "skipped", { reason: "the provider owns retries on this connection" });
      await replanCase(tx, ctx.c.id, clock);
    });
    return { status: "skipped", detail: "provider owns retries" };
  }
  const [method] = step.paymentMethodExternalId
    ? await db.select().from(paymentMethods).where(and(eq(paymentMethods.connectionId, ctx.connection.id), eq(paymentMethods.externalId, step.paymentMethodExternalId)))
    : await db.select().from(paymentMethods).where(and(eq(paymentMethods.customerId, ctx.c.customerId), eq(paymentMethods.isDefault, true)));
  const history = await cardHistory(db, ctx.c.workspaceId, method?.fingerprint ? [method.fingerprint] : [], now);
  const verdict = checkNetworkRetryAllowed({
    card: { brand: method?.brand ?? null, fingerprint: method?.fingerprint ?? null },
    lastFailure: history.find((h) => h.status !== "succeeded") ?? null,
    history,
    now,
  });
  if (!verdict.allowed) {
    await db.transaction(async (tx) => {
      await markStep(tx, step, "skipped", { reason: verdict.reason, rule: verdict.rule });
      await recordCaseEvent(tx, ctx.c, now, "retry_blocked", `Retry not attempted: ${verdict.reason}`, { rule: verdict.rule });
      await replanCase(tx, ctx.c.id, clock);
    });
    return { status: "skipped", detail: verdict.reason };
  }

  const provider = providerFor(db, ctx.connection, clock);
  const outcome = await provider.retryInvoicePayment({
    invoiceExternalId: ctx.invoice.externalId,
    paymentMethodExternalId: step.paymentMethodExternalId ?? undefined,
    idempotencyKey: idempotencyKeyOf(step),
  });
  await db.transaction((tx) => recordPaymentOutcome(tx, step, ctx, outcome, clock));
  return { status: "done", detail: outcome.status };
}

/** Record what the provider said, in one transaction: attempt, invoice, stats, case and plan. */
async function recordPaymentOutcome(tx: DbOrTx, step: DunningStep, ctx: StepContext, outcome: PaymentOutcome, clock: Clock) {
  const now = clock.now();
  const scope = { workspaceId: ctx.c.workspaceId, connectionId: ctx.connection.id };
  const attempt = outcome.attempt ? { ...outcome.attempt, initiatedBy: "dunwell" as const, idempotencyKey: idempotencyKeyOf(step) } : undefined;
  await applyNormalizedEvents(tx, scope, [{ type: outcome.status === "succeeded" ? "payment.succeeded" : "payment.failed", occurredAt: now, invoice: outcome.invoice ?? undefined, attempt }], []);
  await markStep(tx, step, "done", { status: outcome.status, declineCode: attempt?.declineCode ?? null, attemptId: attempt?.externalId ?? null });
  await recordRetryOutcome(tx, ctx, now, outcome.status === "succeeded");
  if (outcome.status === "succeeded" && (outcome.invoice?.status ?? "paid") === "paid") {
    await recordCaseEvent(tx, ctx.c, now, "retry_succeeded", `Retry succeeded: ${formatAmount(outcome)} collected.`, { stepId: step.id });
    await closeCase(tx, ctx.c, "recovered", now, "paid by a Dunwell retry", { recoveredMinor: ctx.invoice.amountRemaining });
    return;
  }
  const category = attempt ? classifyAttempt(factsOf(attempt, ctx.connection.provider)).category : outcome.status === "requires_action" ? "authentication_required" : "soft";
  await tx.update(dunningCases).set({ declineCategory: category, updatedAt: new Date() }).where(eq(dunningCases.id, ctx.c.id));
  await recordCaseEvent(tx, ctx.c, now, "retry_failed", `Retry ${outcome.status === "requires_action" ? "needs the customer to authenticate" : `declined: ${attempt?.declineCode ?? attempt?.failureCode ?? "unknown reason"}`} (${category}).`, {
    stepId: step.id,
    category,
  });
  await replanCase(tx, ctx.c.id, clock);
}

const formatAmount = (outcome: PaymentOutcome) => (outcome.attempt ? `${outcome.attempt.amount} ${outcome.attempt.currency}` : "the balance");

export async function runMessage(db: Db, step: DunningStep, ctx: StepContext, clock: Clock): Promise<StepResult> {
  const now = clock.now();
  const result = await sendCaseMessage(db, step, ctx, idempotencyKeyOf(step), now);
  // Resend still failing after its immediate retry: the engine tries the step again later, with the same key.
  if (result.status === "failed" && result.error.retryable) throw result.error;
  if (result.status === "deferred") {
    const until = result.deferredUntil.toISOString();
    // A re-plan puts a held message back at its planned time, so it runs again and is held to the
    // same instant: the timeline already says so (the outcome keeps the hold; re-plans leave it).
    const heldAlready = (step.outcome as { until?: unknown } | null)?.until === until;
    await db.transaction(async (tx) => {
      await tx
        .update(dunningSteps)
        .set({ status: "pending", dueAt: result.deferredUntil, leaseUntil: null, outcome: { deferred: result.reason, until }, updatedAt: new Date() })
        .where(eq(dunningSteps.id, step.id));
      if (!heldAlready) await recordCaseEvent(tx, ctx.c, now, "message_deferred", `Message "${step.template}" deferred: ${result.reason}.`, { stepId: step.id, until });
    });
    return { status: "deferred", detail: result.reason };
  }
  const status = result.status === "sent" ? "done" : result.status;
  const outcome = result.status === "failed" ? { messageId: result.messageId, error: result.error.message } : result;
  await db.transaction(async (tx) => {
    await markStep(tx, step, status, outcome);
    const [type, text] =
      result.status === "sent"
        ? ["message_sent", `Sent "${step.template}" (${step.tone}) to ${result.recipient}.`]
        : result.status === "skipped"
          ? ["message_skipped", `Message "${step.template}" skipped: ${result.reason}.`]
          : ["message_failed", `Message "${step.template}" could not be sent: ${result.error.message}.`];
    await recordCaseEvent(tx, ctx.c, now, type, text, { stepId: step.id, messageId: result.messageId });
  });
  return { status, detail: result.status === "skipped" ? result.reason : result.status === "failed" ? result.error.message : "" };
}

/** The policy's last word, through the provider adapter; the case ends as exhausted. */
export async function runFinalAction(db: Db, step: DunningStep, ctx: StepContext, clock: Clock): Promise<StepResult> {
  const provider = providerFor(db, ctx.connection, clock);
  const key = idempotencyKeyOf(step);
  const action = step.finalAction ?? "leave_past_due";
  const [sub] = ctx.invoice.subscriptionId
    ? await db.query.subscriptions.findMany({ where: (s, { eq: equals }) => equals(s.id, ctx.invoice.subscriptionId!), limit: 1 })
    : [];
  const detail = await applyFinalAction(action, { provider, key, invoiceExternalId: ctx.invoice.externalId, subscriptionExternalId: sub?.externalId ?? null });
  await db.transaction(async (tx) => {
    await markStep(tx, step, "done", { action, detail });
    await closeCase(tx, ctx.c, action === "mark_uncollectible" ? "written_off" : "exhausted", clock.now(), `Final action: ${detail}.`);
  });
  return { status: "done", detail };
}

async function applyFinalAction(
  action: string,
  o: { provider: ReturnType<typeof providerFor>; key: string; invoiceExternalId: string; subscriptionExternalId: string | null },
): Promise<string> {
  switch (action) {
    case "cancel_now":
    case "cancel_at_period_end":
      if (!o.subscriptionExternalId) return "no subscription to cancel";
      await o.provider.cancelSubscription({ subscriptionExternalId: o.subscriptionExternalId, atPeriodEnd: action === "cancel_at_period_end", idempotencyKey: o.key });
      return action === "cancel_now" ? "subscription canceled" : "subscription set to cancel at period end";
    case "pause":
      if (!o.subscriptionExternalId) return "no subscription to pause";
      await o.provider.pauseSubscription({ subscriptionExternalId: o.subscriptionExternalId, idempotencyKey: o.key });
      return "subscription paused";
    case "mark_uncollectible":
      await o.provider.markInvoiceUncollectible({ invoiceExternalId: o.invoiceExternalId, idempotencyKey: o.key });
      return "invoice marked uncollectible";
    case "collections_task":
      return "handed to collections as a task";
    default:
      return "left past due";
  }
}
