import { invoiceAttemptEvent } from "./shared";

/**
 * invoice.payment_action_required: the bank asks the customer to authenticate (3-D Secure).
 * Read late, after the customer authenticated, it carries the invoice but no pending attempt.
 */
export const invoicePaymentActionRequired = invoiceAttemptEvent("payment.action_required", "requires_action");
