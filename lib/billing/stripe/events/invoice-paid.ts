import { invoiceEvent } from "./shared";

/** invoice.paid: settled by a charge, by partial payments adding up, or out of band. */
export const invoicePaid = invoiceEvent("invoice.paid");
