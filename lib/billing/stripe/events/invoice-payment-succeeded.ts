import { invoiceAttemptEvent } from "./shared";

/** invoice.payment_succeeded: a charge paid the invoice; the attempt closes the case. */
export const invoicePaymentSucceeded = invoiceAttemptEvent("payment.succeeded", "succeeded");
