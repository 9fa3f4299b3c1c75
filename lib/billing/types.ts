import type { AttemptStatus, InvoiceStatus, ProviderKind, RetryOwner, SubscriptionStatus } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";

/**
 * The one billing interface. The engine, the portal and the messages see billing only
 * through these types; Stripe, Chargebee and the sandbox each implement BillingProvider.
 *
 * Money is integer minor units with a lower-case ISO 4217 currency. Times are Dates (UTC).
 * `version` is a monotonic number per object (Chargebee resource_version; for Stripe the
 * time the snapshot was taken, in ms) so that older snapshots never overwrite newer ones.
 */

export type { ProviderKind, RetryOwner };

export type ProviderCustomer = {
  externalId: string;
  email: string | null;
  /** For SMS; as the provider holds it (Stripe and Chargebee keep one phone per customer). */
  phone: string | null;
  name: string | null;
  locale: string | null;
  timezone: string | null;
  country: string | null;
  currency: string | null;
  delinquent: boolean;
  metadata: Record<string, string>;
  version: number;
};

export type ProviderSubscription = {
  externalId: string;
  customerExternalId: string;
  status: SubscriptionStatus;
  planName: string | null;
  /** Monthly recurring revenue in minor units (yearly plans / 12, rounded). */
  mrrMinor: number;
  currency: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  startedAt: Date | null;
  version: number;
};

export type ProviderInvoice = {
  externalId: string;
  customerExternalId: string;
  subscriptionExternalId: string | null;
  number: string | null;
  description: string | null;
  status: InvoiceStatus;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  currency: string;
  dueAt: Date | null;
  nextPaymentAttemptAt: Date | null;
  attemptCount: number;
  providerDunningStatus: string | null;
  hostedUrl: string | null;
  issuedAt: Date;
  paidAt: Date | null;
  version: number;
};

export type ProviderPaymentMethod = {
  externalId: string;
  customerExternalId: string;
  type: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  fingerprint: string | null;
  isDefault: boolean;
  status: "active" | "detached";
  version: number;
};

export type ProviderPaymentAttempt = {
  externalId: string;
  customerExternalId: string;
  invoiceExternalId: string | null;
  paymentMethodExternalId: string | null;
  cardFingerprint: string | null;
  cardBrand: string | null;
  amount: number;
  currency: string;
  status: AttemptStatus;
  /** Issuer decline code (Stripe decline_code; Chargebee gateway error code). */
  declineCode: string | null;
  /** Provider failure code (Stripe failure_code / last_payment_error.code; Chargebee error_code). */
  failureCode: string | null;
  failureMessage: string | null;
  /** Stripe outcome.advice_code (do_not_try_again, try_again_later, confirm_card_data). */
  adviceCode: string | null;
  /** Card network advice (Mastercard merchant advice code, e.g. "03", "21"). */
  networkAdviceCode: string | null;
  /** Raw network decline code (Visa response codes, e.g. "05", "51"). */
  networkDeclineCode: string | null;
  initiatedBy: "provider" | "dunwell" | "customer";
  idempotencyKey: string | null;
  attemptedAt: Date;
};

export const billingEventTypes = [
  "payment.failed",
  "payment.succeeded",
  "payment.action_required",
  "invoice.updated",
  "invoice.paid",
  "invoice.voided",
  "invoice.uncollectible",
  "subscription.updated",
  "subscription.canceled",
  "subscription.paused",
  "payment_method.attached",
  "payment_method.updated",
  "payment_method.detached",
  "payment_method.expiring",
  "customer.updated",
] as const;
export type BillingEventType = (typeof billingEventTypes)[number];

/**
 * A provider event in Dunwell's words, with the objects it concerns (re-fetched when the
 * event's snapshot may be stale). Store them all; the type says what happened.
 */
export type NormalizedEvent = {
  type: BillingEventType;
  occurredAt: Date;
  customer?: ProviderCustomer;
  subscription?: ProviderSubscription;
  invoice?: ProviderInvoice;
  paymentMethod?: ProviderPaymentMethod;
  attempt?: ProviderPaymentAttempt;
};

/** A webhook whose signature or credentials checked out. */
export type VerifiedWebhook = {
  providerEventId: string;
  type: string;
  occurredAt: Date;
  payload: unknown;
};

export type WebhookRequest = { headers: Headers; rawBody: string; now: Date };

/** What the browser does next to update a card or pay (no card data touches our server). */
export type ClientAction =
  | { kind: "stripe_payment_element"; clientSecret: string; intent: "setup" | "payment"; publishableKey: string | null }
  | { kind: "redirect"; url: string }
  | { kind: "sandbox_form"; reference: string };

export type PaymentOutcome = {
  status: AttemptStatus;
  /** The attempt as the provider recorded it (absent only when nothing was attempted). */
  attempt: ProviderPaymentAttempt | null;
  invoice: ProviderInvoice | null;
  /** For requires_action: how the customer authenticates. */
  action?: ClientAction;
};

export type Page<T> = { items: T[]; next: string | null };

export interface BillingProvider {
  readonly kind: ProviderKind;

  /** Verify signature/credentials and parse. Throws AppError("unauthenticated" | "invalid_input"). */
  verifyWebhook(request: WebhookRequest): VerifiedWebhook;
  /** Dunwell's events for a stored webhook; null when the type is not one we handle (stored as ignored). */
  normalizeWebhook(event: VerifiedWebhook): Promise<NormalizedEvent[] | null>;

  /** Calls the provider with the stored credentials; says which account answered. */
  testConnection(): Promise<{ account: string; livemode: boolean }>;

  getCustomer(externalId: string): Promise<ProviderCustomer>;
  getSubscription(externalId: string): Promise<ProviderSubscription>;
  getInvoice(externalId: string): Promise<ProviderInvoice>;
  listPaymentMethods(customerExternalId: string): Promise<ProviderPaymentMethod[]>;

  /** Retry an open invoice off-session, optionally with another saved payment method. */
  retryInvoicePayment(input: { invoiceExternalId: string; paymentMethodExternalId?: string; idempotencyKey: string }): Promise<PaymentOutcome>;
  /** Charge an amount (an installment), applied to the invoice where the provider supports it. */
  chargeAmount(input: {
    customerExternalId: string;
    invoiceExternalId?: string;
    amount: number;
    currency: string;
    paymentMethodExternalId?: string;
    description: string;
    idempotencyKey: string;
  }): Promise<PaymentOutcome>;
  startPaymentMethodUpdate(input: { customerExternalId: string; returnUrl: string; idempotencyKey: string }): Promise<ClientAction>;
  startPayNow(input: { invoiceExternalId: string; returnUrl: string; idempotencyKey: string }): Promise<ClientAction>;
  /**
   * Finish a card update the customer confirmed in the browser (`reference`: Stripe's
   * SetupIntent): it must be this customer's and have succeeded; the card then becomes the
   * default of the customer and of its subscriptions, and is returned as it is now. Only
   * Stripe has it: the sandbox's form and Chargebee's hosted page save the card and make it
   * the default themselves, and their webhooks say so.
   */
  completePaymentMethodUpdate?(input: { customerExternalId: string; reference: string }): Promise<ProviderPaymentMethod>;
  /**
   * A charge that waited for the customer's authentication, read back by its attempt's id
   * (Stripe: the PaymentIntent the customer finishes in the browser). Providers whose
   * authentication happens on their own pages (or the sandbox's form) have none.
   */
  readPaymentOutcome?(input: { customerExternalId: string; invoiceExternalId?: string; reference: string; idempotencyKey: string }): Promise<PaymentOutcome>;
  recordOutOfBandPayment(input: { invoiceExternalId: string; amount?: number; note: string; idempotencyKey: string }): Promise<ProviderInvoice>;
  cancelSubscription(input: { subscriptionExternalId: string; atPeriodEnd: boolean; idempotencyKey: string }): Promise<ProviderSubscription>;
  pauseSubscription(input: { subscriptionExternalId: string; idempotencyKey: string }): Promise<ProviderSubscription>;
  markInvoiceUncollectible(input: { invoiceExternalId: string; idempotencyKey: string }): Promise<ProviderInvoice>;

  /** Reconciliation: events the provider could not deliver (Stripe) or all since a cursor (Chargebee). */
  listMissedEvents(input: { since: Date; cursor: string | null }): Promise<Page<VerifiedWebhook>>;
  /** Backfill, page by page (cursor null for the first page). */
  listCustomers(cursor: string | null): Promise<Page<ProviderCustomer>>;
  listSubscriptions(cursor: string | null): Promise<Page<ProviderSubscription>>;
  /** Open and past-due invoices. */
  listOpenInvoices(cursor: string | null): Promise<Page<ProviderInvoice>>;
}

/** Decrypted credentials per provider (stored encrypted in connections.secrets_ciphertext). */
export type StripeCredentials = { provider: "stripe"; secretKey: string; webhookSecrets: string[]; publishableKey?: string };
export type ChargebeeCredentials = { provider: "chargebee"; site: string; apiKey: string; webhookUsername: string; webhookPassword: string };
export type SandboxCredentials = { provider: "sandbox"; webhookSecret: string };
export type ConnectionCredentials = StripeCredentials | ChargebeeCredentials | SandboxCredentials;

/** What an adapter is built from. */
export type ProviderContext = {
  connectionId: string;
  workspaceId: string;
  apiBase: string | null;
  settings: Record<string, string>;
  credentials: ConnectionCredentials;
  /** The database (the sandbox keeps its records there) and the injected clock. */
  db: Db;
  clock: Clock;
};
