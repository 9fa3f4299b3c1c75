import { subscriptionEvent } from "./shared";

/** customer.subscription.updated: status (past_due, unpaid…), plan, period or cancellation changed. */
export const customerSubscriptionUpdated = subscriptionEvent("subscription.updated");
