import type Stripe from "stripe";
import type { BillingProvider, Page, ProviderContext, ProviderCustomer, ProviderInvoice, ProviderSubscription } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";
import { getStripeClient, stripeCall, stripeCredentials } from "./client";
import { stripeEventHandlers } from "./events";
import { mapCustomer, mapInvoice, mapPaymentMethod, mapSubscription } from "./map";
import { completePaymentMethodUpdate } from "./default-payment-method";
import { chargeAmount, readPaymentOutcome, retryInvoicePayment, startPaymentMethodUpdate, startPayNow } from "./payments";
import { createStripeReader, subscriptionExpand } from "./read";
import { fromStripeEvent, verifyStripeWebhook } from "./webhook";

/** Stripe keeps events for 30 days; asking for older ones is an error. */
const EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const PAGE_SIZE = 100;

const nextCursor = <T extends { id: string }>(list: Stripe.ApiList<T>): string | null => (list.has_more ? (list.data.at(-1)?.id ?? null) : null);
const after = (cursor: string | null) => (cursor ? { starting_after: cursor } : {});

/**
 * The Stripe adapter. The SDK client is built lazily, once per connection (client.ts); the
 * adapter never touches the database. Every mutating call carries the caller's idempotency key.
 */
export function createStripeProvider(ctx: ProviderContext): BillingProvider {
  const credentials = stripeCredentials(ctx);
  const stripe = () => getStripeClient(ctx);
  const reader = () => createStripeReader(stripe(), ctx.clock);
  const version = () => ctx.clock.now().getTime();
  const deps = () => ({
    stripe: stripe(),
    read: reader(),
    clock: ctx.clock,
    publishableKey: credentials.publishableKey ?? ctx.settings.publishableKey ?? null,
  });
  const found = <T>(value: T | null, what: string): T => {
    if (value === null) throw new AppError("not_found", `Stripe has no ${what}.`);
    return value;
  };

  return {
    kind: "stripe",

    verifyWebhook: (request) => verifyStripeWebhook(credentials.webhookSecrets, request),

    async normalizeWebhook(webhook) {
      const handler = stripeEventHandlers[webhook.type];
      if (!handler) return null;
      const event = webhook.payload as Stripe.Event;
      return handler({ event, read: reader(), occurredAt: webhook.occurredAt, snapshotVersion: event.created * 1000 });
    },

    async testConnection() {
      const [account, balance] = await Promise.all([
        stripeCall(() => stripe().accounts.retrieveCurrent()),
        stripeCall(() => stripe().balance.retrieve()),
      ]);
      return { account: account.id, livemode: balance.livemode };
    },

    getCustomer: async (id) => found(await reader().customer(id), `customer ${id} (or it was deleted)`),
    getSubscription: async (id) => mapSubscription(await stripeCall(() => stripe().subscriptions.retrieve(id, { expand: subscriptionExpand })), version()),
    getInvoice: async (id) => mapInvoice(await stripeCall(() => stripe().invoices.retrieve(id)), version()),

    async listPaymentMethods(customerId) {
      const [defaultId, methods] = await Promise.all([
        reader().defaultPaymentMethodId(customerId),
        stripeCall(() => stripe().paymentMethods.list({ customer: customerId, type: "card", limit: PAGE_SIZE })),
      ]);
      const at = version();
      return methods.data.flatMap((method) => mapPaymentMethod(method, { defaultId, fallbackCustomerId: customerId, version: at }) ?? []);
    },

    retryInvoicePayment: (input) => retryInvoicePayment(deps(), input),
    chargeAmount: (input) => chargeAmount(deps(), input),
    startPaymentMethodUpdate: (input) => startPaymentMethodUpdate(deps(), input),
    startPayNow: (input) => startPayNow(deps(), input),
    completePaymentMethodUpdate: (input) => completePaymentMethodUpdate(deps(), input),
    readPaymentOutcome: (input) => readPaymentOutcome(deps(), input),

    async recordOutOfBandPayment(input) {
      if (input.amount !== undefined) {
        const invoice = await stripeCall(() => stripe().invoices.retrieve(input.invoiceExternalId));
        // invoices.pay(paid_out_of_band) settles the whole balance; a part payment would be recorded as all of it.
        if (input.amount !== invoice.amount_remaining) {
          throw new AppError(
            "invalid_input",
            `Stripe records an out-of-band payment for the whole amount remaining (${invoice.amount_remaining}); record ${input.amount} as a credit note or take it as an installment instead.`,
          );
        }
      }
      const invoice = await stripeCall(() => stripe().invoices.pay(input.invoiceExternalId, { paid_out_of_band: true }, { idempotencyKey: input.idempotencyKey }));
      return mapInvoice(invoice, version());
    },

    async cancelSubscription({ subscriptionExternalId: id, atPeriodEnd, idempotencyKey }) {
      const options = { idempotencyKey };
      const subscription = await stripeCall(() =>
        atPeriodEnd
          ? stripe().subscriptions.update(id, { cancel_at_period_end: true, expand: subscriptionExpand }, options)
          : stripe().subscriptions.cancel(id, { expand: subscriptionExpand }, options),
      );
      return mapSubscription(subscription, version());
    },

    async pauseSubscription({ subscriptionExternalId: id, idempotencyKey }) {
      // "void": invoices drafted while paused are voided, so nothing accrues that dunning would chase later.
      const subscription = await stripeCall(() =>
        stripe().subscriptions.update(id, { pause_collection: { behavior: "void" }, expand: subscriptionExpand }, { idempotencyKey }),
      );
      return mapSubscription(subscription, version());
    },

    async markInvoiceUncollectible({ invoiceExternalId: id, idempotencyKey }) {
      return mapInvoice(await stripeCall(() => stripe().invoices.markUncollectible(id, {}, { idempotencyKey })), version());
    },

    /** Events Stripe could not deliver to any endpoint, newest first, within its 30-day retention. */
    async listMissedEvents({ since, cursor }) {
      const oldest = Math.max(since.getTime(), ctx.clock.now().getTime() - EVENT_RETENTION_MS);
      const events = await stripeCall(() =>
        stripe().events.list({ delivery_success: false, created: { gte: Math.floor(oldest / 1000) }, limit: PAGE_SIZE, ...after(cursor) }),
      );
      return { items: events.data.map(fromStripeEvent), next: nextCursor(events) };
    },

    async listCustomers(cursor): Promise<Page<ProviderCustomer>> {
      const customers = await stripeCall(() => stripe().customers.list({ limit: PAGE_SIZE, ...after(cursor) }));
      const at = version();
      return { items: customers.data.map((customer) => mapCustomer(customer, at)), next: nextCursor(customers) };
    },

    async listSubscriptions(cursor): Promise<Page<ProviderSubscription>> {
      // "all" includes canceled ones: Dunwell needs to know a past-due subscription ended.
      const subscriptions = await stripeCall(() => stripe().subscriptions.list({ status: "all", limit: PAGE_SIZE, ...after(cursor) }));
      const at = version();
      return { items: subscriptions.data.map((subscription) => mapSubscription(subscription, at)), next: nextCursor(subscriptions) };
    },

    async listOpenInvoices(cursor): Promise<Page<ProviderInvoice>> {
      // Stripe has no "past_due" invoice status: an unpaid invoice past its due date is still "open".
      const invoices = await stripeCall(() => stripe().invoices.list({ status: "open", limit: PAGE_SIZE, ...after(cursor) }));
      const at = version();
      return { items: invoices.data.map((invoice) => mapInvoice(invoice, at)), next: nextCursor(invoices) };
    },
  };
}
