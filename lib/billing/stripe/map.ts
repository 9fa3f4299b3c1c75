import type Stripe from "stripe";
import type { AttemptStatus, InvoiceStatus, SubscriptionStatus } from "@/drizzle/schema";
import type { ProviderCustomer, ProviderInvoice, ProviderPaymentAttempt, ProviderPaymentMethod, ProviderSubscription } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";

/**
 * Stripe objects (API shapes of the pinned version) in Dunwell's words. Pure functions: the
 * caller says which `version` the object carries (the event's time for a snapshot, the
 * fetch time for a fresh read) so a fresh read always wins over an older snapshot.
 */

type Ref = string | { id: string } | null | undefined;
export const idOf = (ref: Ref): string | null => (typeof ref === "string" ? ref : (ref?.id ?? null));
const at = (seconds: number | null | undefined): Date | null => (seconds == null ? null : new Date(seconds * 1000));

function stringMetadata(metadata: Stripe.Metadata | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function mapCustomer(customer: Stripe.Customer, version: number): ProviderCustomer {
  const metadata = stringMetadata(customer.metadata);
  return {
    externalId: customer.id,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    name: customer.name ?? null,
    locale: customer.preferred_locales?.[0] ?? null,
    // Stripe keeps no time zone on a customer; operators may set one in metadata.
    timezone: metadata.timezone ?? null,
    country: customer.address?.country ?? customer.shipping?.address?.country ?? null,
    currency: customer.currency ?? null,
    delinquent: customer.delinquent ?? false,
    metadata,
    version,
  };
}

/** The saved method Stripe charges by default: the invoice setting, else the legacy default source. */
export const defaultPaymentMethodOf = (customer: Stripe.Customer): string | null =>
  idOf(customer.invoice_settings?.default_payment_method) ?? idOf(customer.default_source);

const subscriptionStatuses: Record<string, SubscriptionStatus> = {
  trialing: "trialing",
  active: "active",
  past_due: "past_due",
  unpaid: "unpaid",
  paused: "paused",
  canceled: "canceled",
  incomplete: "incomplete",
  // Never started (first payment not made within 23 hours): it is over, as a canceled one is.
  incomplete_expired: "canceled",
};

function subscriptionStatus(subscription: Stripe.Subscription): SubscriptionStatus {
  const status = subscriptionStatuses[subscription.status] ?? "other";
  // Paused collection leaves Stripe's status "active", but nothing is charged: for dunning it is paused.
  if (subscription.pause_collection && (status === "active" || status === "past_due")) return "paused";
  return status;
}

const monthsPerInterval: Record<string, number> = { day: 365 / 12, week: 52 / 12, month: 1, year: 1 / 12 };

/**
 * Recurring revenue per month, in minor units: each licensed item's unit_amount × quantity,
 * scaled from its billing interval. Metered and tiered prices have no fixed amount and count
 * as 0; discounts and taxes are left out (MRR is the list price).
 */
export function monthlyRecurringMinor(items: Stripe.SubscriptionItem[]): number {
  let total = 0;
  for (const item of items) {
    const recurring = item.price.recurring;
    if (!recurring || recurring.usage_type === "metered" || item.price.unit_amount == null) continue;
    const perMonth = monthsPerInterval[recurring.interval] ?? 0;
    total += (item.price.unit_amount * (item.quantity ?? 1) * perMonth) / Math.max(1, recurring.interval_count);
  }
  return Math.round(total);
}

function planName(subscription: Stripe.Subscription): string | null {
  const price = subscription.items.data[0]?.price;
  if (!price) return null;
  const product = typeof price.product === "object" && price.product && !("deleted" in price.product && price.product.deleted) ? price.product : null;
  return price.nickname ?? (product && "name" in product ? product.name : null) ?? null;
}

export function mapSubscription(subscription: Stripe.Subscription, version: number): ProviderSubscription {
  // Since 2025-03-31 the billing period lives on each item; the subscription's ends with its last item's.
  const periodEnds = subscription.items.data.map((item) => item.current_period_end).filter((end) => typeof end === "number");
  return {
    externalId: subscription.id,
    customerExternalId: required(idOf(subscription.customer), `subscription ${subscription.id}`),
    status: subscriptionStatus(subscription),
    planName: planName(subscription),
    mrrMinor: monthlyRecurringMinor(subscription.items.data),
    currency: subscription.currency,
    currentPeriodEnd: periodEnds.length > 0 ? at(Math.max(...periodEnds)) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    startedAt: at(subscription.start_date),
    version,
  };
}

const invoiceStatuses = new Set<InvoiceStatus>(["draft", "open", "paid", "void", "uncollectible"]);

export function mapInvoice(invoice: Stripe.Invoice, version: number): ProviderInvoice {
  const status = invoiceStatuses.has(invoice.status as InvoiceStatus) ? (invoice.status as InvoiceStatus) : "draft";
  return {
    externalId: invoice.id,
    customerExternalId: required(idOf(invoice.customer), `invoice ${invoice.id}`),
    // Since 2025-03-31 an invoice names its subscription under parent.subscription_details.
    subscriptionExternalId: idOf(invoice.parent?.subscription_details?.subscription),
    number: invoice.number,
    description: invoice.description,
    status,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    amountRemaining: invoice.amount_remaining,
    currency: invoice.currency,
    dueAt: at(invoice.due_date),
    nextPaymentAttemptAt: at(invoice.next_payment_attempt),
    attemptCount: invoice.attempt_count,
    providerDunningStatus: null,
    hostedUrl: invoice.hosted_invoice_url ?? null,
    issuedAt: at(invoice.status_transitions?.finalized_at ?? invoice.effective_at ?? invoice.created) ?? new Date(invoice.created * 1000),
    paidAt: at(invoice.status_transitions?.paid_at),
    version,
  };
}

const brandAliases: Record<string, string> = { "american express": "amex", "diners club": "diners", "eftpos australia": "eftpos_au" };

/** PaymentMethods say "visa"; legacy Card sources say "Visa" or "American Express". One vocabulary for both. */
export function normalizeBrand(brand: string | null | undefined): string | null {
  if (!brand) return null;
  const lower = brand.toLowerCase();
  return brandAliases[lower] ?? lower.replace(/\s+/g, "_");
}

type MethodRefs = { defaultId: string | null; fallbackCustomerId?: string | null; version: number };

/** Brand, last four, expiry and fingerprint only: nothing else of a card is kept. Null when no customer owns or owned it. */
export function mapPaymentMethod(method: Stripe.PaymentMethod, refs: MethodRefs): ProviderPaymentMethod | null {
  const owner = idOf(method.customer);
  const customerExternalId = owner ?? refs.fallbackCustomerId ?? null;
  if (!customerExternalId) return null;
  const card = method.card;
  return {
    externalId: method.id,
    customerExternalId,
    type: method.type,
    brand: normalizeBrand(card?.brand),
    last4: card?.last4 ?? null,
    expMonth: card?.exp_month ?? null,
    expYear: card?.exp_year ?? null,
    fingerprint: card?.fingerprint ?? null,
    isDefault: owner !== null && method.id === refs.defaultId,
    status: owner ? "active" : "detached",
    version: refs.version,
  };
}

/** A legacy Card source (customer.source.* events). */
export function mapCardSource(card: Stripe.Card, refs: MethodRefs): ProviderPaymentMethod | null {
  const owner = idOf(card.customer);
  const customerExternalId = owner ?? refs.fallbackCustomerId ?? null;
  if (!customerExternalId) return null;
  return {
    externalId: card.id,
    customerExternalId,
    type: "card",
    brand: normalizeBrand(card.brand),
    last4: card.last4,
    expMonth: card.exp_month,
    expYear: card.exp_year,
    fingerprint: card.fingerprint ?? null,
    isDefault: owner !== null && card.id === refs.defaultId,
    status: owner ? "active" : "detached",
    version: refs.version,
  };
}

export type AttemptRefs = {
  customerExternalId: string;
  invoiceExternalId: string | null;
  initiatedBy: ProviderPaymentAttempt["initiatedBy"];
  idempotencyKey: string | null;
};

const chargeStatuses: Record<string, AttemptStatus> = { succeeded: "succeeded", failed: "failed", pending: "pending" };
export const chargeStatus = (charge: Stripe.Charge): AttemptStatus => chargeStatuses[charge.status] ?? "pending";

/**
 * One charge is one attempt (card-network retry caps count charges). The issuer's decline
 * code comes from the PaymentIntent's last_payment_error when it is about this very charge,
 * else from outcome.reason of an issuer decline; the advice codes come from charge.outcome.
 */
export function attemptFromCharge(charge: Stripe.Charge, intent: Stripe.PaymentIntent | null, refs: AttemptRefs): ProviderPaymentAttempt {
  const error = intent?.last_payment_error?.charge === charge.id ? intent.last_payment_error : null;
  const outcome = charge.outcome;
  const card = charge.payment_method_details?.card;
  const failed = charge.status === "failed";
  return {
    externalId: charge.id,
    customerExternalId: idOf(charge.customer) ?? refs.customerExternalId,
    invoiceExternalId: refs.invoiceExternalId,
    paymentMethodExternalId: charge.payment_method ?? idOf(intent?.payment_method),
    cardFingerprint: card?.fingerprint ?? null,
    cardBrand: normalizeBrand(card?.brand),
    amount: charge.amount,
    currency: charge.currency,
    status: chargeStatus(charge),
    declineCode: failed ? (error?.decline_code ?? (outcome?.type === "issuer_declined" ? outcome.reason : null) ?? null) : null,
    failureCode: charge.failure_code ?? error?.code ?? null,
    failureMessage: charge.failure_message ?? error?.message ?? null,
    adviceCode: outcome?.advice_code ?? error?.advice_code ?? null,
    networkAdviceCode: outcome?.network_advice_code ?? error?.network_advice_code ?? null,
    networkDeclineCode: outcome?.network_decline_code ?? error?.network_decline_code ?? null,
    initiatedBy: refs.initiatedBy,
    idempotencyKey: refs.idempotencyKey,
    attemptedAt: new Date(charge.created * 1000),
  };
}

/** Off-session confirmation that needs the customer (3-D Secure) leaves the intent waiting for them. */
export function needsAuthentication(intent: Stripe.PaymentIntent): boolean {
  const code = intent.last_payment_error?.code ?? intent.last_payment_error?.decline_code;
  return intent.status === "requires_action" || intent.status === "requires_confirmation" || code === "authentication_required";
}

function intentStatus(intent: Stripe.PaymentIntent): AttemptStatus {
  if (intent.status === "succeeded") return "succeeded";
  if (needsAuthentication(intent)) return "requires_action";
  if (intent.status === "processing") return "pending";
  return intent.last_payment_error || intent.status === "canceled" ? "failed" : "pending";
}

/** An attempt known only through its PaymentIntent (authentication pending, or the charge is gone). */
export function attemptFromIntent(intent: Stripe.PaymentIntent, refs: AttemptRefs & { attemptedAt?: Date }): ProviderPaymentAttempt {
  const error = intent.last_payment_error;
  const status = intentStatus(intent);
  return {
    // Keyed like the charge-based record when a charge exists, so both describe one attempt.
    externalId: status === "requires_action" ? intent.id : (error?.charge ?? idOf(intent.latest_charge) ?? intent.id),
    customerExternalId: idOf(intent.customer) ?? refs.customerExternalId,
    invoiceExternalId: refs.invoiceExternalId,
    paymentMethodExternalId: idOf(intent.payment_method) ?? idOf(error?.payment_method),
    cardFingerprint: error?.payment_method?.card?.fingerprint ?? null,
    cardBrand: normalizeBrand(error?.payment_method?.card?.brand),
    amount: intent.amount,
    currency: intent.currency,
    status,
    declineCode: error?.decline_code ?? null,
    failureCode: error?.code ?? null,
    failureMessage: error?.message ?? null,
    adviceCode: error?.advice_code ?? null,
    networkAdviceCode: error?.network_advice_code ?? null,
    networkDeclineCode: error?.network_decline_code ?? null,
    initiatedBy: refs.initiatedBy,
    idempotencyKey: refs.idempotencyKey,
    attemptedAt: refs.attemptedAt ?? new Date(intent.created * 1000),
  };
}

function required(id: string | null, what: string): string {
  if (!id) throw new AppError("invalid_input", `Stripe ${what} has no customer; Dunwell follows customers' billing only.`);
  return id;
}
