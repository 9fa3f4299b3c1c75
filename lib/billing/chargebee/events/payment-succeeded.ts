import { mapTransaction } from "@/lib/billing/chargebee/map";
import { billingObjects, type ChargebeeEventHandler } from "./resolve";

/**
 * A charge succeeded. Chargebee sends no separate invoice event when that payment settles
 * the invoice, so a paid invoice also yields invoice.paid (the case closes on either).
 */
export const paymentSucceeded: ChargebeeEventHandler = async (input) => {
  const { customer, subscription, invoice } = await billingObjects(input);
  const transaction = await input.resolve.transaction(input.content.transaction);
  const attempt = transaction && mapTransaction(transaction, { invoiceId: invoice?.externalId, card: input.content.card, fallbackTime: input.occurredAt });
  const events = [{ type: "payment.succeeded" as const, occurredAt: input.occurredAt, customer, subscription, invoice, attempt }];
  return invoice?.status === "paid" ? [...events, { type: "invoice.paid" as const, occurredAt: input.occurredAt, invoice }] : events;
};
