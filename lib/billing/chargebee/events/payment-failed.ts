import { mapTransaction } from "@/lib/billing/chargebee/map";
import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/** An automatic (or any) charge of an invoice failed; content carries the failed transaction and the card. */
export const paymentFailed: ChargebeeEventHandler = async (input) => {
  const { customer, subscription, invoice } = await billingObjects(input);
  const transaction = await input.resolve.transaction(input.content.transaction);
  const attempt = transaction && mapTransaction(transaction, { invoiceId: invoice?.externalId, card: input.content.card, fallbackTime: input.occurredAt });
  return [{ type: "payment.failed", occurredAt: input.occurredAt, customer, subscription, invoice, attempt }];
};
