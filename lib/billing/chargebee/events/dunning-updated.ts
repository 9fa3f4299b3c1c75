import { billingObjects, invoiceEventType, type ChargebeeEventHandler } from "./resolve";

/** Chargebee's own dunning moved on (retry scheduled, exhausted, stopped): the invoice's dunning_status changed. */
export const dunningUpdated: ChargebeeEventHandler = async (input) => {
  const { invoice } = await billingObjects(input);
  if (!invoice) return [];
  return [{ type: invoiceEventType(invoice), occurredAt: input.occurredAt, invoice }];
};
