import type Stripe from "stripe";
import { idOf, mapCardSource, mapPaymentMethod } from "../map";
import { snapshotOf, type StripeEventHandler } from "./shared";

/**
 * customer.source.expiring: a card expires at the end of the month. Stripe sends it for
 * legacy Card sources and for card PaymentMethods; other source types are not cards.
 */
export const customerSourceExpiring: StripeEventHandler = async (ctx) => {
  const snapshot = snapshotOf<Stripe.Card | Stripe.PaymentMethod | { object: string }>(ctx);
  let paymentMethod = null;
  if (snapshot.object === "payment_method") {
    const method = snapshot as Stripe.PaymentMethod;
    paymentMethod =
      (await ctx.read.paymentMethod(method.id)) ?? mapPaymentMethod(method, { defaultId: null, version: ctx.snapshotVersion });
  } else if (snapshot.object === "card") {
    const card = snapshot as Stripe.Card;
    const owner = idOf(card.customer);
    if (!owner) return [];
    paymentMethod =
      (await ctx.read.cardSource(owner, card.id)) ?? mapCardSource(card, { defaultId: null, fallbackCustomerId: owner, version: ctx.snapshotVersion });
  }
  return paymentMethod ? [{ type: "payment_method.expiring", occurredAt: ctx.occurredAt, paymentMethod }] : [];
};
