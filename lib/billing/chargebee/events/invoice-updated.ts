import { billingObjects, invoiceEventType, type ChargebeeEventHandler } from "./resolve";

/** Any change to an invoice: paid offline, voided, written off, dunning moved on, amounts changed. */
export const invoiceUpdated: ChargebeeEventHandler = async (input) => {
  const { invoice } = await billingObjects(input);
  if (!invoice) return [];
  return [{ type: invoiceEventType(invoice), occurredAt: input.occurredAt, invoice }];
};
