import { paymentMethodEvent } from "./payment-source";
import type { ChargebeeEventHandler } from "./resolve";

/** The payment source was removed; it can no longer be charged. */
export const paymentSourceDeleted: ChargebeeEventHandler = (input) => paymentMethodEvent(input, "payment_method.detached");
