import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** A plan, quantity, term or status change. */
export const subscriptionChanged: ChargebeeEventHandler = async (input) => {
  const { customer, subscription } = await billingObjects(input);
  if (!subscription) return [];
  return [{ type: "subscription.updated", occurredAt: input.occurredAt, customer, subscription }];
};
