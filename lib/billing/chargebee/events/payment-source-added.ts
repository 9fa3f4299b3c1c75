import { paymentMethodEvent } from "./payment-source";
import type { ChargebeeEventHandler } from "./resolve";

/** A card or other payment source was added (a card update in the portal lands here; open invoices are retried once). */
export const paymentSourceAdded: ChargebeeEventHandler = (input) => paymentMethodEvent(input, "payment_method.attached");
