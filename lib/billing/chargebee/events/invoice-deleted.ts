import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** A deleted invoice is no longer owed: for dunning it is as good as voided (the mapper marks it void). */
export const invoiceDeleted: ChargebeeEventHandler = async (input) => {
  const { invoice } = await billingObjects(input);
  if (!invoice) return [];
  return [{ type: "invoice.voided", occurredAt: input.occurredAt, invoice: { ...invoice, status: "void" } }];
};
