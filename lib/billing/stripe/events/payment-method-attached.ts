import { paymentMethodEvent } from "./payment-method";

/** payment_method.attached: the customer saved a card (a new card is a reason to retry at once). */
export const paymentMethodAttached = paymentMethodEvent("payment_method.attached");
