import { paymentMethodEvent } from "./payment-source";
import type { ChargebeeEventHandler } from "./resolve";

/** Card details changed (new expiry from the network updater, billing address, primary flag). */
export const paymentSourceUpdated: ChargebeeEventHandler = (input) => paymentMethodEvent(input, "payment_method.updated");
