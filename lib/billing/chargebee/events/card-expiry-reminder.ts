import { paymentMethodEvent } from "./payment-source";
import type { ChargebeeEventHandler } from "./resolve";

/** The legacy card_expiry_reminder (sites created before payment sources): content carries a card, not a payment_source. */
export const cardExpiryReminder: ChargebeeEventHandler = (input) => paymentMethodEvent(input, "payment_method.expiring");
