import { paymentMethodEvent } from "./payment-method";

/** payment_method.detached: the card is gone from the customer; it must not be retried. */
export const paymentMethodDetached = paymentMethodEvent("payment_method.detached");
