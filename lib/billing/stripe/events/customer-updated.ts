import type Stripe from "stripe";
import type { NormalizedEvent } from "@/lib/billing/types";
import { mapCustomer } from "../map";
import { previousAttributes, snapshotOf, type StripeEventHandler } from "./shared";

/**
 * customer.updated: contact details, locale, delinquency. When the default payment method
 * changed, the new default is reported too, since retries use it.
 */
export const customerUpdated: StripeEventHandler = async (ctx) => {
  const snapshot = snapshotOf<Stripe.Customer>(ctx);
  const customer = (await ctx.read.customer(snapshot.id)) ?? mapCustomer(snapshot, ctx.snapshotVersion);
  const events: NormalizedEvent[] = [{ type: "customer.updated", occurredAt: ctx.occurredAt, customer }];
  const previous = previousAttributes(ctx);
  const previousSettings = previous.invoice_settings as Record<string, unknown> | undefined;
  if ((previousSettings && "default_payment_method" in previousSettings) || "default_source" in previous) {
    const defaultId = await ctx.read.defaultPaymentMethodId(snapshot.id);
    const paymentMethod = defaultId ? await ctx.read.paymentMethod(defaultId) : null;
    if (paymentMethod) events.push({ type: "payment_method.updated", occurredAt: ctx.occurredAt, paymentMethod });
  }
  return events;
};
