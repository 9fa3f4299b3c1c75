import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** Email, name, locale or billing address changed: messages go to the right person in the right language. */
export const customerChanged: ChargebeeEventHandler = async (input) => {
  const { customer } = await billingObjects(input);
  if (!customer) return [];
  return [{ type: "customer.updated", occurredAt: input.occurredAt, customer }];
};
