import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** Resumed after a pause: the subscription is active again, so Dunwell's copy must stop saying paused. */
export const subscriptionResumed: ChargebeeEventHandler = async (input) => {
  const { customer, subscription } = await billingObjects(input);
  if (!subscription) return [];
  return [{ type: "subscription.updated", occurredAt: input.occurredAt, customer, subscription }];
};
