import { and, asc, eq } from "drizzle-orm";
import { dunningSteps, paymentMethods, subscriptions, type DunningCase, type DunningStep, type Invoice } from "@/drizzle/schema";
import type { Db, DbOrTx } from "@/lib/db/client";
import { sendMessage, type SendMessageResult } from "@/lib/messaging/send";
import { portalLinkFor } from "@/lib/portal/links";
import type { StepContext } from "./executors";
import type { DeclineCategory, MessageChannel, MessageTemplate, Tone } from "./types";

/**
 * The engine's message step: what the case knows (template and tone from the step, the
 * decline category, amounts from the invoice, the default card, the next retry and the
 * deadline from the plan) handed to sendMessage, which applies the send-time rules,
 * renders, stores and sends with the step's idempotency key.
 */
/**
 * What every message about a case says, whichever sends it (an engine step, a portal
 * acknowledgement): the plan, the invoice and what is still owed, the default card, and the
 * case's signed portal link.
 */
export async function caseMessageData(
  db: DbOrTx,
  c: Pick<DunningCase, "id" | "customerId">,
  invoice: Pick<Invoice, "subscriptionId" | "number" | "amountRemaining" | "currency">,
  now: Date,
) {
  const [card] = await db
    .select({ brand: paymentMethods.brand, last4: paymentMethods.last4 })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, c.customerId), eq(paymentMethods.isDefault, true), eq(paymentMethods.status, "active")));
  const [subscription] = invoice.subscriptionId
    ? await db.select({ planName: subscriptions.planName }).from(subscriptions).where(eq(subscriptions.id, invoice.subscriptionId))
    : [];
  return {
    planName: subscription?.planName ?? null,
    invoiceNumber: invoice.number ?? null,
    amountMinor: invoice.amountRemaining,
    currency: invoice.currency,
    cardBrand: card?.brand ?? null,
    cardLast4: card?.last4 ?? null,
    portalUrl: await portalLinkFor(db, c.id, now),
  };
}

export async function sendCaseMessage(db: Db, step: DunningStep, ctx: StepContext, idempotencyKey: string, now: Date): Promise<SendMessageResult> {
  const pending = await db
    .select({ kind: dunningSteps.kind, dueAt: dunningSteps.dueAt })
    .from(dunningSteps)
    .where(and(eq(dunningSteps.caseId, ctx.c.id), eq(dunningSteps.status, "pending")))
    .orderBy(asc(dunningSteps.dueAt));
  const nextRetry = pending.find((s) => s.kind === "retry" && s.dueAt > now);
  // "Please pay by …": when the policy's final action ends the subscription, else the invoice's own due date if still ahead.
  const deadline = pending.find((s) => s.kind === "final_action")?.dueAt ?? (ctx.invoice.dueAt && ctx.invoice.dueAt > now ? ctx.invoice.dueAt : null);

  return sendMessage(db, {
    workspaceId: ctx.c.workspaceId,
    caseId: ctx.c.id,
    customerId: ctx.c.customerId,
    stepId: step.id,
    template: (step.template ?? "reminder") as MessageTemplate,
    channel: (step.channel ?? "email") as MessageChannel,
    idempotencyKey,
    now,
    tone: step.tone as Tone | null,
    declineCategory: ctx.c.declineCategory as DeclineCategory | null,
    data: { ...(await caseMessageData(db, ctx.c, ctx.invoice, now)), dueDate: deadline, nextRetryAt: nextRetry?.dueAt ?? null },
  });
}
