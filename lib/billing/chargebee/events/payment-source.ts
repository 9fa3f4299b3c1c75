import { mapCard, mapCustomer, mapPaymentSource } from "@/lib/billing/chargebee/map";
import type { NormalizedEvent } from "@/lib/billing/types";
import type { EventInput } from "./resolve";

type PaymentMethodEventType = Extract<NormalizedEvent["type"], `payment_method.${string}`>;

/**
 * One payment-method event from a payment_source_* (or legacy card_*) event. The customer in
 * the same content says which source is primary, so the default card is known without a call.
 */
export async function paymentMethodEvent(input: EventInput, type: PaymentMethodEventType): Promise<NormalizedEvent[]> {
  const { content, resolve, occurredAt } = input;
  const customer = await resolve.customer(content.customer);
  const primary = customer?.primary_payment_source_id;
  if (type === "payment_method.detached") {
    // A deleted source cannot be fetched again; the detachment is at least as new as the event.
    const snapshot = content.payment_source;
    if (!snapshot) return [];
    const mapped = mapPaymentSource(snapshot, primary);
    const paymentMethod = { ...mapped, status: "detached" as const, isDefault: false, version: Math.max(mapped.version, occurredAt.getTime()) };
    return [{ type, occurredAt, customer: customer && mapCustomer(customer), paymentMethod }];
  }
  const source = await resolve.paymentSource(content.payment_source);
  const paymentMethod = source ? mapPaymentSource(source, primary) : content.card ? mapCard(content.card, primary) : undefined;
  if (!paymentMethod) return [];
  return [{ type, occurredAt, customer: customer && mapCustomer(customer), paymentMethod }];
}
