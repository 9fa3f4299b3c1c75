import type Stripe from "stripe";
import type { AttemptStatus } from "@/drizzle/schema";
import type { ProviderCustomer, ProviderInvoice, ProviderPaymentAttempt, ProviderPaymentMethod, ProviderSubscription } from "@/lib/billing/types";
import type { Clock } from "@/lib/clock";
import { stripeCall, stripeFind } from "./client";
import {
  attemptFromCharge,
  attemptFromIntent,
  chargeStatus,
  defaultPaymentMethodOf,
  idOf,
  mapCardSource,
  mapCustomer,
  mapInvoice,
  mapPaymentMethod,
  mapSubscription,
  needsAuthentication,
  type AttemptRefs,
} from "./map";

/** Which attempt an event or an operation is about. */
export type AttemptWanted = {
  status?: Exclude<AttemptStatus, "pending">;
  /** Unix seconds: the attempt happened at or before this (the event's time), so a late event finds its own charge. */
  before?: number;
};

/** Expanding the product names the plan; four levels is Stripe's expansion limit. */
export const subscriptionExpand = ["items.data.price.product"];

/**
 * Fresh reads. Events carry snapshots that may be stale or arrive out of order, so handlers
 * read the current object and stamp it with the fetch time. Reads answer null when Stripe
 * says the object does not exist (the caller then falls back to the event's snapshot).
 */
export function createStripeReader(stripe: Stripe, clock: Clock) {
  const fresh = () => clock.now().getTime();

  async function rawCustomer(id: string): Promise<Stripe.Customer | null> {
    const customer = await stripeFind(() => stripe.customers.retrieve(id));
    return customer && !customer.deleted ? customer : null;
  }

  async function defaultPaymentMethodId(customerId: string): Promise<string | null> {
    const customer = await rawCustomer(customerId);
    return customer ? defaultPaymentMethodOf(customer) : null;
  }

  const rawIntent = (id: string) => stripeFind(() => stripe.paymentIntents.retrieve(id, { expand: ["latest_charge"] }));

  /** The attempt on one PaymentIntent that matches: its latest charge, else an earlier one, else the intent itself. */
  async function intentAttempt(intentId: string, wanted: AttemptWanted, refs: AttemptRefs): Promise<ProviderPaymentAttempt | null> {
    const intent = await rawIntent(intentId);
    if (!intent) return null;
    // Without a charge nothing dates the attempt but the event (or, for an operation, now).
    const chargeless = () => attemptFromIntent(intent, { ...refs, attemptedAt: wanted.before ? new Date(wanted.before * 1000) : clock.now() });
    if (wanted.status === "requires_action") return needsAuthentication(intent) ? chargeless() : null;
    const matches = (charge: Stripe.Charge) =>
      (!wanted.status || chargeStatus(charge) === wanted.status) && (wanted.before === undefined || charge.created <= wanted.before);
    const latest = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
    if (latest && matches(latest)) return attemptFromCharge(latest, intent, refs);
    if (latest) {
      // A newer attempt on the same intent replaced the latest charge: find the one asked about.
      const charges = await stripeCall(() => stripe.charges.list({ payment_intent: intent.id, limit: 100 }));
      const match = charges.data.find(matches);
      return match ? attemptFromCharge(match, intent, refs) : null;
    }
    // No charge was made (authentication needed, or no usable method): the intent's own error is the attempt.
    if (!intent.last_payment_error && !needsAuthentication(intent)) return null;
    const attempt = chargeless();
    return !wanted.status || attempt.status === wanted.status || (wanted.status === "failed" && attempt.status === "requires_action") ? attempt : null;
  }

  return {
    rawCustomer,
    defaultPaymentMethodId,
    rawIntent,
    intentAttempt,

    async customer(id: string): Promise<ProviderCustomer | null> {
      const customer = await rawCustomer(id);
      return customer ? mapCustomer(customer, fresh()) : null;
    },

    async subscription(id: string): Promise<ProviderSubscription | null> {
      const subscription = await stripeFind(() => stripe.subscriptions.retrieve(id, { expand: subscriptionExpand }));
      return subscription ? mapSubscription(subscription, fresh()) : null;
    },

    async invoice(id: string): Promise<ProviderInvoice | null> {
      const invoice = await stripeFind(() => stripe.invoices.retrieve(id));
      return invoice ? mapInvoice(invoice, fresh()) : null;
    },

    async paymentMethod(id: string, fallbackCustomerId: string | null = null): Promise<ProviderPaymentMethod | null> {
      const method = await stripeFind(() => stripe.paymentMethods.retrieve(id));
      if (!method) return null;
      const owner = idOf(method.customer);
      const defaultId = owner ? await defaultPaymentMethodId(owner) : null;
      return mapPaymentMethod(method, { defaultId, fallbackCustomerId, version: fresh() });
    },

    async cardSource(customerId: string, id: string): Promise<ProviderPaymentMethod | null> {
      const source = await stripeFind(() => stripe.customers.retrieveSource(customerId, id));
      if (!source || source.object !== "card") return null;
      return mapCardSource(source, { defaultId: await defaultPaymentMethodId(customerId), fallbackCustomerId: customerId, version: fresh() });
    },

    async charge(id: string): Promise<Stripe.Charge | null> {
      return stripeFind(() => stripe.charges.retrieve(id));
    },

    /**
     * The invoice's attempt asked about. Its payments (newest first) lead to PaymentIntents:
     * the default one carries Stripe's own attempts, attached ones carry partial payments.
     */
    async invoiceAttempt(invoice: ProviderInvoice, wanted: AttemptWanted, refs: Pick<AttemptRefs, "initiatedBy" | "idempotencyKey">): Promise<ProviderPaymentAttempt | null> {
      const payments = await stripeFind(() => stripe.invoicePayments.list({ invoice: invoice.externalId, limit: 10 }));
      const full: AttemptRefs = { ...refs, customerExternalId: invoice.customerExternalId, invoiceExternalId: invoice.externalId };
      for (const payment of payments?.data ?? []) {
        const intentId = idOf(payment.payment.payment_intent);
        const attempt = intentId ? await intentAttempt(intentId, wanted, full) : null;
        if (attempt) return attempt;
      }
      return null;
    },

    /** Since 2025-03-31 a PaymentIntent no longer names its invoice; the invoice payment links them. */
    async invoiceIdForIntent(intentId: string): Promise<string | null> {
      const payments = await stripeFind(() => stripe.invoicePayments.list({ payment: { type: "payment_intent", payment_intent: intentId }, limit: 1 }));
      return idOf(payments?.data[0]?.invoice);
    },
  };
}

export type StripeReader = ReturnType<typeof createStripeReader>;
