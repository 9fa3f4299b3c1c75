import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** Paused (by the merchant, the customer, or Dunwell's final action). */
export const subscriptionPaused: ChargebeeEventHandler = async (input) => {
  const { customer, subscription } = await billingObjects(input);
  if (!subscription) return [];
  return [{ type: "subscription.paused", occurredAt: input.occurredAt, customer, subscription }];
};
