import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** Cancelled now or at the end of term (Chargebee cancels for non-payment too). */
export const subscriptionCancelled: ChargebeeEventHandler = async (input) => {
  const { customer, subscription } = await billingObjects(input);
  if (!subscription) return [];
  return [{ type: "subscription.canceled", occurredAt: input.occurredAt, customer, subscription }];
};
