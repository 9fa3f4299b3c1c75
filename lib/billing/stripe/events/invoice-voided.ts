import { invoiceEvent } from "./shared";

/** invoice.voided: nothing is owed any more; open cases on it end. */
export const invoiceVoided = invoiceEvent("invoice.voided");
