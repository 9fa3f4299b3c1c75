import { paymentMethodEvent } from "./payment-source";
import type { ChargebeeEventHandler } from "./resolve";

/** Chargebee's reminder that a card on file is about to expire (the card-expiring message). */
export const paymentSourceExpiring: ChargebeeEventHandler = (input) => paymentMethodEvent(input, "payment_method.expiring");
