import type Stripe from "stripe";
import type { NormalizedEvent } from "@/lib/billing/types";
import { attemptFromIntent, idOf } from "../map";
import { snapshotOf, type StripeEventHandler } from "./shared";

/**
 * payment_intent.payment_failed: covers payments that no invoice event reports, such as a
 * declined installment charge. Keyed by charge id, it merges with invoice.payment_failed's record.
 */
export const paymentIntentPaymentFailed: StripeEventHandler = async (ctx) => {
  const snapshot = snapshotOf<Stripe.PaymentIntent>(ctx);
  const invoiceId = await ctx.read.invoiceIdForIntent(snapshot.id);
  const invoice = invoiceId ? await ctx.read.invoice(invoiceId) : null;
  const customerExternalId = idOf(snapshot.customer) ?? invoice?.customerExternalId;
  // A payment without a customer is not a subscriber's: there is nobody to recover it from.
  if (!customerExternalId) return [];
  const refs = { customerExternalId, invoiceExternalId: invoiceId, initiatedBy: "provider" as const, idempotencyKey: null };
  const attempt =
    (await ctx.read.intentAttempt(snapshot.id, { status: "failed", before: ctx.event.created }, refs)) ?? attemptFromIntent(snapshot, refs);
  const event: NormalizedEvent = { type: "payment.failed", occurredAt: ctx.occurredAt, attempt };
  return [invoice ? { ...event, invoice } : event];
};
