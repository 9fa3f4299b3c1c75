import type Stripe from "stripe";
import type { BillingEventType } from "@/lib/billing/types";
import { idOf, mapPaymentMethod } from "../map";
import { previousAttributes, snapshotOf, type StripeEventHandler } from "./shared";

/**
 * The payment method as Stripe has it now. A detached method no longer names its customer;
 * the event's previous_attributes (or its snapshot) says whose it was.
 */
export const paymentMethodEvent =
  (type: BillingEventType): StripeEventHandler =>
  async (ctx) => {
    const snapshot = snapshotOf<Stripe.PaymentMethod>(ctx);
    const previousOwner = previousAttributes(ctx).customer;
    const owner = idOf(snapshot.customer) ?? (typeof previousOwner === "string" ? previousOwner : null);
    const paymentMethod =
      (await ctx.read.paymentMethod(snapshot.id, owner)) ??
      mapPaymentMethod(snapshot, { defaultId: null, fallbackCustomerId: owner, version: ctx.snapshotVersion });
    return paymentMethod ? [{ type, occurredAt: ctx.occurredAt, paymentMethod }] : [];
  };
