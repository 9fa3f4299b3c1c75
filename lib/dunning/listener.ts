import { and, eq, inArray } from "drizzle-orm";
import { connections, dunningCases, dunningSteps, invoices, paymentAttempts } from "@/drizzle/schema";
import type { BillingListener } from "@/lib/billing/apply";
import type { ProviderPaymentMethod } from "@/lib/billing/types";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { classifyAttempt } from "./classify";
import { closeCase, liveCaseOfInvoice, openCase, recordCaseEvent } from "./cases";
import { workspaceClock } from "./clock";
import { factsOf } from "./facts";
import { replanCase } from "./replan";
import type { DeclineCategory } from "./types";

/**
 * Billing events → cases, inside the processing transaction: a failed payment opens (or
 * updates) the invoice's case and re-plans it; a payment by any route closes it and cancels
 * its pending steps at once; a void or write-off closes it; a new card triggers one
 * immediate retry.
 */
export const dunningListener: BillingListener = async (tx, { scope, event, ids, clock: base }) => {
  const clock = await workspaceClock(tx, scope.workspaceId, base);
  const now = clock.now();
  switch (event.type) {
    case "payment.failed":
    case "payment.action_required": {
      if (!ids.invoiceId) return;
      const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, ids.invoiceId));
      if (!invoice || invoice.status !== "open") return;
      const [connection] = await tx.select().from(connections).where(eq(connections.id, scope.connectionId));
      const category: DeclineCategory =
        event.type === "payment.action_required" ? "authentication_required" : event.attempt ? classifyAttempt(factsOf({ ...event.attempt, attemptedAt: event.attempt.attemptedAt }, connection!.provider)).category : "soft";
      // A failure the engine itself caused is recorded by the engine; don't re-plan twice.
      if (ids.attemptId) {
        const [attempt] = await tx.select({ by: paymentAttempts.initiatedBy }).from(paymentAttempts).where(eq(paymentAttempts.id, ids.attemptId));
        if (attempt?.by === "dunwell" && (await liveCaseOfInvoice(tx, scope.workspaceId, invoice.id))) return;
      }
      const { row, opened } = await openCase(tx, { workspaceId: scope.workspaceId, connectionId: scope.connectionId, invoiceId: invoice.id, category, at: event.attempt?.attemptedAt ?? now });
      await tx.update(dunningCases).set({ declineCategory: category, updatedAt: new Date() }).where(eq(dunningCases.id, row.id));
      const code = event.attempt?.declineCode ?? event.attempt?.failureCode ?? (event.type === "payment.action_required" ? "authentication_required" : "unknown");
      await recordCaseEvent(tx, row, event.attempt?.attemptedAt ?? now, "payment_failed", `${opened ? "Payment failed" : "Another attempt failed"}: ${code} (${category}).`, { category, code });
      if (row.status === "open") await replanCase(tx, row.id, clock);
      return;
    }
    case "payment.succeeded":
    case "invoice.paid": {
      if (!ids.invoiceId) return;
      const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, ids.invoiceId));
      if (!invoice || invoice.status !== "paid") return;
      const live = await liveCaseOfInvoice(tx, scope.workspaceId, invoice.id);
      if (live) await closeCase(tx, live, "recovered", now, "the invoice was paid", { recoveredMinor: live.amountMinor });
      return;
    }
    case "invoice.voided":
    case "invoice.uncollectible": {
      if (!ids.invoiceId) return;
      const live = await liveCaseOfInvoice(tx, scope.workspaceId, ids.invoiceId);
      if (live) await closeCase(tx, live, event.type === "invoice.voided" ? "canceled" : "written_off", now, event.type === "invoice.voided" ? "the invoice was voided" : "the invoice was marked uncollectible");
      return;
    }
    case "payment_method.attached":
    case "payment_method.updated":
      // Only the card that became the default: the old one is "updated" too when it stops being default.
      if (ids.customerId && event.paymentMethod?.status === "active" && event.paymentMethod.isDefault) await retryAfterCardUpdate(tx, scope.workspaceId, ids.customerId, event.paymentMethod, now);
      return;
    default:
      return;
  }
};

/**
 * One immediate retry per open case of the customer, on the new card, once per card and
 * expiry: a new card, or the same card with a new expiry (the account updater), is worth a
 * retry; the same card read again (the provider's follow-up events carry newer versions of
 * an unchanged card) is not.
 */
async function retryAfterCardUpdate(tx: DbOrTx, workspaceId: string, customerId: string, card: ProviderPaymentMethod, now: Date) {
  const paymentMethodId = card.externalId;
  const expiry = card.expMonth && card.expYear ? `${card.expYear}-${String(card.expMonth).padStart(2, "0")}` : "no-expiry";
  const cases = await tx.select().from(dunningCases).where(and(eq(dunningCases.workspaceId, workspaceId), eq(dunningCases.customerId, customerId), inArray(dunningCases.status, ["open"])));
  for (const c of cases) {
    const inserted = await tx
      .insert(dunningSteps)
      .values({ id: newId("step"), workspaceId, caseId: c.id, kind: "retry", key: `card-update:${paymentMethodId}:${expiry}`, dueAt: now, paymentMethodExternalId: paymentMethodId, reason: "the card was updated: retry once, at once" })
      .onConflictDoNothing()
      .returning({ id: dunningSteps.id });
    if (inserted.length) await recordCaseEvent(tx, c, now, "card_updated", "The customer updated the card; retrying now.", { paymentMethodId });
  }
}
