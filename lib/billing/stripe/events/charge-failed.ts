import type Stripe from "stripe";
import type { NormalizedEvent } from "@/lib/billing/types";
import { attemptFromCharge, idOf } from "../map";
import { snapshotOf, type StripeEventHandler } from "./shared";

/**
 * charge.failed: every declined charge, the one record that exists for each attempt (the
 * network retry caps count them all). Same charge id as the invoice events, so records merge.
 */
export const chargeFailed: StripeEventHandler = async (ctx) => {
  const snapshot = snapshotOf<Stripe.Charge>(ctx);
  const charge = (await ctx.read.charge(snapshot.id)) ?? snapshot;
  const intentId = idOf(charge.payment_intent);
  const intent = intentId ? await ctx.read.rawIntent(intentId) : null;
  const invoiceId = intentId ? await ctx.read.invoiceIdForIntent(intentId) : null;
  const invoice = invoiceId ? await ctx.read.invoice(invoiceId) : null;
  const customerExternalId = idOf(charge.customer) ?? idOf(intent?.customer) ?? invoice?.customerExternalId;
  if (!customerExternalId) return [];
  const attempt = attemptFromCharge(charge, intent, { customerExternalId, invoiceExternalId: invoiceId, initiatedBy: "provider", idempotencyKey: null });
  const event: NormalizedEvent = { type: "payment.failed", occurredAt: ctx.occurredAt, attempt };
  return [invoice ? { ...event, invoice } : event];
};
