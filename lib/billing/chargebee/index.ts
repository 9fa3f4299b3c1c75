import type { BillingProvider, Page, ProviderContext, ProviderPaymentMethod, VerifiedWebhook } from "@/lib/billing/types";
import { call, chargebeeClient, chargebeeCredentials, idempotent } from "./client";
import { normalizeChargebeeEvent } from "./events";
import { snapshotResolver } from "./events/resolve";
import { mapCustomer, mapInvoice, mapPaymentSource, mapSubscription } from "./map";
import { collectFromCustomer, collectInvoice } from "./payments";
import { eventAsWebhook, verifyChargebeeWebhook } from "./webhook";

/**
 * The Chargebee adapter of BillingProvider, through the official SDK (v3, API v2). Every
 * mutating call carries the caller's idempotency key in `chargebee-idempotency-key`.
 */

const PAGE = 100;
/** Open for dunning: due and past due. `posted` invoices are not due yet. */
const OPEN_STATUSES = ["payment_due", "not_paid"];

const nextCursor = (offset: string | undefined): string | null => offset ?? null;
const offsetFrom = (cursor: string | null) => (cursor ? { offset: cursor } : {});

export function createChargebeeProvider(ctx: ProviderContext): BillingProvider {
  const credentials = chargebeeCredentials(ctx);
  const client = chargebeeClient(ctx);

  async function paymentMethodsOf(customerId: string): Promise<ProviderPaymentMethod[]> {
    const { customer } = await call(() => client.customer.retrieve(customerId));
    const methods: ProviderPaymentMethod[] = [];
    let offset: string | undefined;
    do {
      const page = await call(() => client.paymentSource.list({ limit: PAGE, customer_id: { is: customerId }, ...(offset ? { offset } : {}) }));
      for (const entry of page.list) methods.push(mapPaymentSource(entry.payment_source, customer.primary_payment_source_id));
      offset = page.next_offset;
    } while (offset);
    return methods;
  }

  return {
    kind: "chargebee",

    verifyWebhook: (request) => verifyChargebeeWebhook(credentials, request),

    normalizeWebhook: (event) => normalizeChargebeeEvent(event, snapshotResolver(client)),

    async testConnection() {
      await call(() => client.customer.list({ limit: 1 }));
      // Chargebee test sites are named "<name>-test"; live sites carry no suffix.
      return { account: credentials.site, livemode: !credentials.site.endsWith("-test") };
    },

    getCustomer: async (id) => mapCustomer((await call(() => client.customer.retrieve(id))).customer),
    getSubscription: async (id) => mapSubscription((await call(() => client.subscription.retrieve(id))).subscription),
    getInvoice: async (id) => mapInvoice((await call(() => client.invoice.retrieve(id))).invoice),
    listPaymentMethods: paymentMethodsOf,

    retryInvoicePayment: (input) =>
      collectInvoice(client, input.invoiceExternalId, { idempotencyKey: input.idempotencyKey, paymentSourceId: input.paymentMethodExternalId }),

    // An installment is a partial collection against the invoice: the invoice stays due
    // (Chargebee's dunning state intact) until the last installment settles it.
    chargeAmount: (input) =>
      input.invoiceExternalId
        ? collectInvoice(client, input.invoiceExternalId, {
            idempotencyKey: input.idempotencyKey,
            amount: input.amount,
            paymentSourceId: input.paymentMethodExternalId,
            comment: input.description,
          })
        : collectFromCustomer(client, input.customerExternalId, {
            idempotencyKey: input.idempotencyKey,
            amount: input.amount,
            paymentSourceId: input.paymentMethodExternalId,
          }),

    async startPaymentMethodUpdate(input) {
      const { hosted_page } = await call(() =>
        client.hostedPage.managePaymentSources({ customer: { id: input.customerExternalId }, redirect_url: input.returnUrl }, idempotent(input.idempotencyKey)),
      );
      return { kind: "redirect", url: hostedPageUrl(hosted_page.url) };
    },

    async startPayNow(input) {
      // collect_now pays the customer's due invoices in the invoice's currency (3-D Secure included).
      const { invoice } = await call(() => client.invoice.retrieve(input.invoiceExternalId));
      const { hosted_page } = await call(() =>
        client.hostedPage.collectNow(
          { customer: { id: invoice.customer_id }, currency_code: invoice.currency_code, redirect_url: input.returnUrl },
          idempotent(input.idempotencyKey),
        ),
      );
      return { kind: "redirect", url: hostedPageUrl(hosted_page.url) };
    },

    async recordOutOfBandPayment(input) {
      const { invoice } = await call(() =>
        client.invoice.recordPayment(
          input.invoiceExternalId,
          {
            comment: input.note.slice(0, 300),
            transaction: { payment_method: "other", ...(input.amount !== undefined ? { amount: input.amount } : {}) },
          },
          idempotent(input.idempotencyKey),
        ),
      );
      return mapInvoice(invoice);
    },

    async cancelSubscription(input) {
      const { subscription } = await call(() =>
        client.subscription.cancelForItems(input.subscriptionExternalId, { end_of_term: input.atPeriodEnd }, idempotent(input.idempotencyKey)),
      );
      return mapSubscription(subscription);
    },

    async pauseSubscription(input) {
      const { subscription } = await call(() =>
        client.subscription.pause(input.subscriptionExternalId, { pause_option: "immediately" }, idempotent(input.idempotencyKey)),
      );
      return mapSubscription(subscription);
    },

    // Chargebee's "uncollectible" is a write-off: an adjustment credit note for what is due.
    async markInvoiceUncollectible(input) {
      const { invoice } = await call(() =>
        client.invoice.writeOff(input.invoiceExternalId, { comment: "Written off by Dunwell after dunning." }, idempotent(input.idempotencyKey)),
      );
      return mapInvoice(invoice);
    },

    async listMissedEvents({ since, cursor }): Promise<Page<VerifiedWebhook>> {
      // occurred_at[after] is strict and in whole seconds: start a second early so an event in
      // the same second as `since` is not skipped (the inbox drops the duplicates by event id).
      const after = Math.max(0, Math.floor(since.getTime() / 1000) - 1);
      const page = await call(() =>
        client.event.list({ limit: PAGE, occurred_at: { after }, "sort_by[asc]": "occurred_at", ...offsetFrom(cursor) }),
      );
      return { items: page.list.map((entry) => eventAsWebhook(entry.event)), next: nextCursor(page.next_offset) };
    },

    async listCustomers(cursor) {
      const page = await call(() => client.customer.list({ limit: PAGE, ...offsetFrom(cursor) }));
      return { items: page.list.map((entry) => mapCustomer(entry.customer)), next: nextCursor(page.next_offset) };
    },

    async listSubscriptions(cursor) {
      const page = await call(() => client.subscription.list({ limit: PAGE, ...offsetFrom(cursor) }));
      return { items: page.list.map((entry) => mapSubscription(entry.subscription)), next: nextCursor(page.next_offset) };
    },

    async listOpenInvoices(cursor) {
      const page = await call(() => client.invoice.list({ limit: PAGE, status: { in: OPEN_STATUSES }, ...offsetFrom(cursor) }));
      return { items: page.list.map((entry) => mapInvoice(entry.invoice)), next: nextCursor(page.next_offset) };
    },
  };
}

function hostedPageUrl(url: string | undefined): string {
  if (!url) throw new Error("Chargebee returned a hosted page without a URL.");
  return url;
}
