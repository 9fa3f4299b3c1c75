import { subscriptionEvent } from "./shared";

/** customer.subscription.paused: a trial ended without a payment method, so Stripe paused it. */
export const customerSubscriptionPaused = subscriptionEvent("subscription.paused");
