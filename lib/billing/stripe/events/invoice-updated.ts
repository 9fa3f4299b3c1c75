import { invoiceEvent } from "./shared";

/** invoice.updated: amounts, due date or next_payment_attempt changed. */
export const invoiceUpdated = invoiceEvent("invoice.updated");
