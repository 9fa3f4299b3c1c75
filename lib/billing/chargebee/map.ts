import { createHash } from "node:crypto";
import type { Card, Customer, Invoice, PaymentSource, Subscription, Transaction } from "chargebee";
import type { AttemptStatus, InvoiceStatus, SubscriptionStatus } from "@/drizzle/schema";
import type {
  ProviderCustomer,
  ProviderInvoice,
  ProviderPaymentAttempt,
  ProviderPaymentMethod,
  ProviderSubscription,
} from "@/lib/billing/types";

/**
 * Chargebee objects in Dunwell's words. Chargebee amounts are already integer minor units
 * ("in cents"); times are Unix seconds; currency codes are upper-case.
 */

const at = (seconds: number | undefined | null): Date | null => (typeof seconds === "number" ? new Date(seconds * 1000) : null);
const currency = (code: string | undefined | null): string => (code ?? "").toLowerCase();

/** resource_version is Chargebee's change time in ms; updated_at (s) is the next best thing. */
export function versionOf(resource: { resource_version?: number; updated_at?: number }): number {
  if (typeof resource.resource_version === "number") return resource.resource_version;
  return typeof resource.updated_at === "number" ? resource.updated_at * 1000 : 0;
}

/** Snapshots without resource_version may be stale or partial: callers re-fetch them. */
export const hasVersion = (resource: { resource_version?: number }): boolean => typeof resource.resource_version === "number";

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

export function mapCustomer(c: Customer): ProviderCustomer {
  const name = [c.first_name, c.last_name].filter(Boolean).join(" ") || c.company || null;
  return {
    externalId: c.id,
    email: c.email ?? null,
    phone: c.phone ?? null,
    name,
    locale: c.locale ?? null,
    // Chargebee keeps no time zone per customer; Dunwell falls back to the country's.
    timezone: null,
    country: c.billing_address?.country ?? null,
    currency: c.preferred_currency_code ? currency(c.preferred_currency_code) : null,
    // Chargebee has no customer-level delinquency flag; open invoices carry the dunning state.
    delinquent: false,
    metadata: stringMap(c.meta_data),
    version: versionOf(c),
  };
}

const subscriptionStatuses: Record<Subscription["status"], SubscriptionStatus> = {
  future: "other",
  in_trial: "trialing",
  active: "active",
  non_renewing: "active",
  paused: "paused",
  cancelled: "canceled",
  transferred: "other",
};

const monthsPer: Record<"day" | "week" | "month" | "year", number> = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 };

/** MRR from the plan item when Chargebee did not report `mrr` (it does only with MRR reporting on). */
function planMrr(s: Subscription): number {
  const plan = s.subscription_items?.find((item) => item.item_type === "plan");
  const amount = plan ? (plan.amount ?? (plan.unit_price ?? 0) * (plan.quantity ?? 1)) : (s.plan_amount ?? 0);
  const unit = plan?.billing_period_unit ?? s.billing_period_unit ?? "month";
  const period = plan?.billing_period ?? s.billing_period ?? 1;
  return Math.round(amount / (period * monthsPer[unit]));
}

export function mapSubscription(s: Subscription): ProviderSubscription {
  const overdue = s.status === "active" && (s.due_invoices_count ?? 0) > 0;
  const plan = s.subscription_items?.find((item) => item.item_type === "plan");
  return {
    externalId: s.id,
    customerExternalId: s.customer_id,
    status: overdue ? "past_due" : subscriptionStatuses[s.status] ?? "other",
    planName: plan?.item_price_id ?? s.plan_id ?? null,
    mrrMinor: typeof s.mrr === "number" ? s.mrr : planMrr(s),
    currency: currency(s.currency_code),
    currentPeriodEnd: at(s.current_term_end),
    cancelAtPeriodEnd: s.status === "non_renewing",
    startedAt: at(s.started_at ?? s.activated_at),
    version: versionOf(s),
  };
}

/** A written-off invoice is "paid" at Chargebee but was never collected: uncollectible for Dunwell. */
function invoiceStatus(i: Invoice): InvoiceStatus {
  if (i.deleted || i.status === "voided") return "void";
  if (i.status === "paid") return (i.write_off_amount ?? 0) > 0 ? "uncollectible" : "paid";
  if (i.status === "pending") return "draft";
  return "open"; // payment_due, not_paid, posted
}

export function mapInvoice(i: Invoice): ProviderInvoice {
  const paid = i.amount_paid ?? 0;
  // amount_due is what is still unpaid; written-off money was never paid either.
  const remaining = (i.amount_due ?? 0) + (i.write_off_amount ?? 0);
  const attempts = Math.max(i.linked_payments?.length ?? 0, i.dunning_attempts?.length ?? 0);
  return {
    externalId: i.id,
    customerExternalId: i.customer_id,
    subscriptionExternalId: i.subscription_id ?? null,
    number: i.id,
    description: i.line_items?.[0]?.description ?? null,
    status: invoiceStatus(i),
    amountDue: paid + remaining,
    amountPaid: paid,
    amountRemaining: remaining,
    currency: currency(i.currency_code),
    dueAt: at(i.due_date),
    nextPaymentAttemptAt: at(i.next_retry_at),
    attemptCount: attempts,
    providerDunningStatus: i.dunning_status ?? null,
    // Chargebee has no static pay link; the portal opens a collect_now hosted page instead.
    hostedUrl: null,
    issuedAt: at(i.date ?? i.generated_at) ?? new Date(0),
    paidAt: i.status === "paid" ? at(i.paid_at) : null,
    version: versionOf(i),
  };
}

/**
 * Chargebee exposes no card fingerprint. The same card saved twice by one customer has the
 * same brand, last four and expiry, so a hash of those (scoped to the customer, to avoid
 * collisions between customers) lets card-network retry caps count per card.
 */
export function cardFingerprint(customerId: string, card: { brand?: string | null; last4?: string | null; expMonth?: number | null; expYear?: number | null }): string | null {
  if (!card.last4 || !card.expMonth || !card.expYear) return null;
  const material = [customerId, card.brand ?? "", card.last4, card.expMonth, card.expYear].join("|");
  return `cbfp_${createHash("sha256").update(material).digest("hex").slice(0, 24)}`;
}

export function mapPaymentSource(ps: PaymentSource, primaryPaymentSourceId: string | null | undefined): ProviderPaymentMethod {
  const card = ps.card;
  const fields = { brand: card?.brand ?? null, last4: card?.last4 ?? ps.bank_account?.last4 ?? null, expMonth: card?.expiry_month ?? null, expYear: card?.expiry_year ?? null };
  return {
    externalId: ps.id,
    customerExternalId: ps.customer_id,
    type: ps.type,
    ...fields,
    fingerprint: card ? cardFingerprint(ps.customer_id, fields) : null,
    isDefault: ps.id === primaryPaymentSourceId,
    status: ps.deleted ? "detached" : "active",
    version: versionOf(ps),
  };
}

/** The legacy `card` resource (card_* events, payment events' content) as a payment method. */
export function mapCard(card: Card, primaryPaymentSourceId: string | null | undefined): ProviderPaymentMethod {
  const customerId = card.customer_id;
  const fields = { brand: card.card_type ?? null, last4: card.last4, expMonth: card.expiry_month, expYear: card.expiry_year };
  return {
    externalId: card.payment_source_id,
    customerExternalId: customerId,
    type: "card",
    ...fields,
    fingerprint: cardFingerprint(customerId, fields),
    isDefault: card.payment_source_id === primaryPaymentSourceId,
    status: "active",
    version: versionOf(card),
  };
}

const attemptStatuses: Record<NonNullable<Transaction["status"]>, AttemptStatus> = {
  success: "succeeded",
  failure: "failed",
  late_failure: "failed",
  voided: "failed",
  in_progress: "pending",
  needs_attention: "pending",
  timeout: "pending",
};

export type AttemptContext = {
  invoiceId?: string | null;
  card?: Card | null;
  initiatedBy?: ProviderPaymentAttempt["initiatedBy"];
  idempotencyKey?: string | null;
  fallbackTime?: Date;
};

/**
 * error_detail follows the gateway's own fields (Chargebee's gateway error references):
 * decline_code is the issuer decline, network_error_code the raw network code,
 * recommendation_code the gateway's advice, processor_advice_code the Mastercard MAC.
 */
export function mapTransaction(t: Transaction, context: AttemptContext = {}): ProviderPaymentAttempt {
  const detail = t.error_detail;
  const customerId = t.customer_id ?? "";
  const card = context.card && context.card.payment_source_id === t.payment_source_id ? context.card : null;
  const cardFields = card ? { brand: card.card_type ?? null, last4: card.last4, expMonth: card.expiry_month, expYear: card.expiry_year } : null;
  return {
    externalId: t.id,
    customerExternalId: customerId,
    invoiceExternalId: context.invoiceId ?? t.linked_invoices?.[0]?.invoice_id ?? null,
    paymentMethodExternalId: t.payment_source_id ?? null,
    cardFingerprint: cardFields ? cardFingerprint(customerId, cardFields) : null,
    cardBrand: cardFields?.brand ?? null,
    amount: t.amount ?? 0,
    currency: currency(t.currency_code),
    status: t.status ? attemptStatuses[t.status] : "pending",
    declineCode: detail?.decline_code ?? detail?.error_code ?? null,
    failureCode: t.error_code ?? null,
    failureMessage: t.error_text ?? detail?.decline_message ?? detail?.error_message ?? null,
    adviceCode: detail?.recommendation_code ?? null,
    networkAdviceCode: detail?.processor_advice_code ?? null,
    networkDeclineCode: detail?.network_error_code ?? null,
    initiatedBy: context.initiatedBy ?? "provider",
    idempotencyKey: context.idempotencyKey ?? null,
    attemptedAt: at(t.date) ?? context.fallbackTime ?? new Date(0),
  };
}
