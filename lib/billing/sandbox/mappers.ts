import type {
  ClientAction,
  PaymentOutcome,
  ProviderCustomer,
  ProviderInvoice,
  ProviderPaymentAttempt,
  ProviderPaymentMethod,
  ProviderSubscription,
} from "../types";
import { fromUnix, type SandboxCharge, type SandboxCustomer, type SandboxInvoice, type SandboxPaymentMethod, type SandboxSubscription } from "./store";

/** The sandbox's Stripe-shaped records in Dunwell's words; `version` is the record's own. */

export function toCustomer(c: SandboxCustomer): ProviderCustomer {
  return {
    externalId: c.id,
    email: c.email,
    phone: c.phone ?? null,
    name: c.name,
    locale: c.locale,
    timezone: c.timezone,
    country: c.country,
    currency: c.currency,
    delinquent: c.delinquent,
    metadata: c.metadata,
    version: c.version,
  };
}

export function toSubscription(s: SandboxSubscription): ProviderSubscription {
  return {
    externalId: s.id,
    customerExternalId: s.customer,
    status: s.status,
    planName: s.plan.name,
    mrrMinor: s.plan.interval === "year" ? Math.round(s.plan.amount / 12) : s.plan.amount,
    currency: s.plan.currency,
    currentPeriodEnd: fromUnix(s.current_period_end),
    cancelAtPeriodEnd: s.cancel_at_period_end,
    startedAt: fromUnix(s.start_date),
    version: s.version,
  };
}

export function toInvoice(i: SandboxInvoice): ProviderInvoice {
  return {
    externalId: i.id,
    customerExternalId: i.customer,
    subscriptionExternalId: i.subscription,
    number: i.number,
    description: i.description,
    status: i.status,
    amountDue: i.amount_due,
    amountPaid: i.amount_paid,
    amountRemaining: i.amount_remaining,
    currency: i.currency,
    dueAt: fromUnix(i.due_date),
    // The sandbox never retries on its own: Dunwell owns every retry.
    nextPaymentAttemptAt: null,
    attemptCount: i.attempt_count,
    providerDunningStatus: null,
    hostedUrl: null,
    issuedAt: new Date(i.created * 1000),
    paidAt: fromUnix(i.paid_at),
    version: i.version,
  };
}

/** The default lives on the customer (as Stripe's invoice_settings.default_payment_method). */
export function toPaymentMethod(pm: SandboxPaymentMethod, customer: Pick<SandboxCustomer, "default_payment_method">): ProviderPaymentMethod {
  return {
    externalId: pm.id,
    customerExternalId: pm.customer,
    type: pm.type,
    brand: pm.card.brand,
    last4: pm.card.last4,
    expMonth: pm.card.exp_month,
    expYear: pm.card.exp_year,
    fingerprint: pm.card.fingerprint,
    isDefault: pm.status === "active" && customer.default_payment_method === pm.id,
    status: pm.status,
    version: pm.version,
  };
}

export function toAttempt(ch: SandboxCharge): ProviderPaymentAttempt {
  return {
    externalId: ch.id,
    customerExternalId: ch.customer,
    invoiceExternalId: ch.invoice,
    paymentMethodExternalId: ch.payment_method,
    cardFingerprint: ch.card?.fingerprint ?? null,
    cardBrand: ch.card?.brand ?? null,
    amount: ch.amount,
    currency: ch.currency,
    status: ch.status,
    declineCode: ch.decline_code,
    failureCode: ch.failure_code,
    failureMessage: ch.failure_message,
    adviceCode: ch.advice_code,
    networkAdviceCode: ch.network_advice_code,
    networkDeclineCode: ch.network_decline_code,
    initiatedBy: ch.initiated_by,
    idempotencyKey: ch.idempotency_key,
    attemptedAt: new Date(ch.created * 1000),
  };
}

/** A charge that needs 3-D Secure is authenticated in the sandbox form under the charge's id. */
export const actionFor = (ch: SandboxCharge): ClientAction | undefined =>
  ch.status === "requires_action" ? { kind: "sandbox_form", reference: ch.id } : undefined;

export type RawOutcome = { charge: SandboxCharge; invoice: SandboxInvoice | null };

export function toOutcome(raw: RawOutcome): PaymentOutcome {
  const action = actionFor(raw.charge);
  return { status: raw.charge.status, attempt: toAttempt(raw.charge), invoice: raw.invoice ? toInvoice(raw.invoice) : null, ...(action ? { action } : {}) };
}
