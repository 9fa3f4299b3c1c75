import { subscriptionEvent } from "./shared";

/** customer.subscription.deleted: the subscription ended (canceled now, at period end, or by Stripe's dunning). */
export const customerSubscriptionDeleted = subscriptionEvent("subscription.canceled");
