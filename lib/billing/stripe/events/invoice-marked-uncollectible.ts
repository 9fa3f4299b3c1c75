import { invoiceEvent } from "./shared";

/** invoice.marked_uncollectible: written off (by Stripe's own dunning or by hand); still payable. */
export const invoiceMarkedUncollectible = invoiceEvent("invoice.uncollectible");
