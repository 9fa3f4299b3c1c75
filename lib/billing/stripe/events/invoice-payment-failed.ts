import { invoiceAttemptEvent } from "./shared";

/** invoice.payment_failed: a charge for the invoice was declined (Stripe's own retry or a first attempt). */
export const invoicePaymentFailed = invoiceAttemptEvent("payment.failed", "failed");
