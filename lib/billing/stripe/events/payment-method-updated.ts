import { paymentMethodEvent } from "./payment-method";

/** payment_method.updated: new expiry or details (also sent by card account updater). */
export const paymentMethodUpdated = paymentMethodEvent("payment_method.updated");
