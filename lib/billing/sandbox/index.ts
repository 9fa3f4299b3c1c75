import { ProviderError } from "../errors";
import type { BillingProvider, ClientAction, Page, ProviderContext, ProviderCustomer, ProviderInvoice, ProviderSubscription } from "../types";
import { listUndeliveredEvents, normalizeSandboxEvent, verifySandboxWebhook } from "./events";
import { openForm } from "./forms";
import { toCustomer, toInvoice, toOutcome, toPaymentMethod, toSubscription, type RawOutcome } from "./mappers";
import { cancel, checkAmount, closeInvoice, pause, recordOutOfBand } from "./operations";
import { createCharge, methodFor, requireOpen } from "./payments";
import { getObject, listObjects, withIdempotency, type SandboxContext, type SandboxObjectName, type SandboxObjectOf, type SandboxScope } from "./store";

/**
 * The built-in sandbox provider: Stripe test mode in miniature, kept in sandbox_objects and
 * scoped to one connection. It serves the embedded demo, tests and simulations; it is never
 * a substitute for testing the Stripe and Chargebee adapters. Drive it with simulate.ts and
 * deliver its webhooks with deliverSandboxEvents (events.ts).
 *
 * Every operation is idempotent by its key: the first call's result is stored under the key
 * (kind "charge", id idem_<key>) and returned to every later call, so nothing is charged twice.
 */

const PAGE_SIZE = 100;

export function createSandboxProvider(ctx: ProviderContext): BillingProvider {
  if (ctx.credentials.provider !== "sandbox") throw new Error(`A sandbox provider needs sandbox credentials, not ${ctx.credentials.provider}.`);
  const secret = ctx.credentials.webhookSecret;
  const sandbox: SandboxContext = { db: ctx.db, connectionId: ctx.connectionId, clock: ctx.clock };
  const reader = (): SandboxScope => ({ db: ctx.db, connectionId: ctx.connectionId, now: ctx.clock.now() });

  async function page<O extends SandboxObjectName, T>(object: O, cursor: string | null, map: (o: SandboxObjectOf<O>) => T, where?: Partial<SandboxObjectOf<O>>): Promise<Page<T>> {
    const offset = cursor ? Number(cursor) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new ProviderError(`Invalid cursor '${cursor}'.`, "sandbox", 400, false);
    const items = await listObjects(reader(), object, { where, offset, limit: PAGE_SIZE + 1 });
    return { items: items.slice(0, PAGE_SIZE).map(map), next: items.length > PAGE_SIZE ? String(offset + PAGE_SIZE) : null };
  }

  /** Charge an amount to an invoice or a customer; the stored result is the raw charge and invoice. */
  async function pay(scope: SandboxScope, input: { customerId: string; invoiceId: string | null; amount: number | null; currency: string | null; paymentMethodId?: string; purpose: "invoice" | "installment"; description: string | null; idempotencyKey: string }): Promise<RawOutcome> {
    const invoice = input.invoiceId ? await getObject(scope, "invoice", input.invoiceId, { lock: true }) : null;
    if (invoice) requireOpen(invoice);
    const customer = await getObject(scope, "customer", invoice?.customer ?? input.customerId);
    if (invoice && invoice.customer !== input.customerId) throw new ProviderError(`Invoice '${invoice.id}' belongs to another customer.`, "sandbox", 400, false);
    const amount = input.amount ?? invoice?.amount_remaining ?? 0;
    checkAmount(amount, invoice);
    const currency = input.currency ?? invoice?.currency ?? customer.currency;
    if (currency !== currency.toLowerCase() || (invoice && invoice.currency !== currency)) {
      throw new ProviderError(`Currency '${currency}' does not match the invoice's '${invoice?.currency ?? customer.currency}' (lower-case ISO 4217).`, "sandbox", 400, false, null, "currency_mismatch");
    }
    return createCharge(scope, {
      customer,
      invoice,
      method: await methodFor(scope, customer, input.paymentMethodId),
      amount,
      currency,
      purpose: input.purpose,
      initiatedBy: "dunwell",
      idempotencyKey: input.idempotencyKey,
      description: input.description,
    });
  }

  const formAction = (reference: string): ClientAction => ({ kind: "sandbox_form", reference });

  return {
    kind: "sandbox",

    verifyWebhook: (request) => verifySandboxWebhook(secret, request),
    normalizeWebhook: (event) => normalizeSandboxEvent(reader(), event),
    testConnection: async () => ({ account: `sandbox:${ctx.connectionId}`, livemode: false }),

    getCustomer: async (id): Promise<ProviderCustomer> => toCustomer(await getObject(reader(), "customer", id)),
    getSubscription: async (id): Promise<ProviderSubscription> => toSubscription(await getObject(reader(), "subscription", id)),
    getInvoice: async (id): Promise<ProviderInvoice> => toInvoice(await getObject(reader(), "invoice", id)),
    async listPaymentMethods(customerId) {
      const scope = reader();
      const customer = await getObject(scope, "customer", customerId);
      const methods = await listObjects(scope, "payment_method", { where: { customer: customerId, status: "active" } });
      return methods.map((m) => toPaymentMethod(m, customer));
    },

    async retryInvoicePayment(input) {
      const raw = await withIdempotency(sandbox, "retry_invoice_payment", input.idempotencyKey, input, async (scope) => {
        const invoice = await getObject(scope, "invoice", input.invoiceExternalId);
        return pay(scope, { customerId: invoice.customer, invoiceId: invoice.id, amount: null, currency: null, paymentMethodId: input.paymentMethodExternalId, purpose: "invoice", description: invoice.description, idempotencyKey: input.idempotencyKey });
      });
      return toOutcome(raw);
    },

    async chargeAmount(input) {
      const raw = await withIdempotency(sandbox, "charge_amount", input.idempotencyKey, input, (scope) =>
        pay(scope, {
          customerId: input.customerExternalId,
          invoiceId: input.invoiceExternalId ?? null,
          amount: input.amount,
          currency: input.currency,
          paymentMethodId: input.paymentMethodExternalId,
          purpose: "installment",
          description: input.description,
          idempotencyKey: input.idempotencyKey,
        }),
      );
      return toOutcome(raw);
    },

    async startPaymentMethodUpdate(input) {
      const session = await withIdempotency(sandbox, "start_payment_method_update", input.idempotencyKey, input, async (scope) => {
        const customer = await getObject(scope, "customer", input.customerExternalId);
        return openForm(scope, { mode: "setup", customerId: customer.id, invoiceId: null, returnUrl: input.returnUrl });
      });
      return formAction(session.id);
    },

    async startPayNow(input) {
      const session = await withIdempotency(sandbox, "start_pay_now", input.idempotencyKey, input, async (scope) => {
        const invoice = await getObject(scope, "invoice", input.invoiceExternalId);
        requireOpen(invoice);
        return openForm(scope, { mode: "payment", customerId: invoice.customer, invoiceId: invoice.id, returnUrl: input.returnUrl });
      });
      return formAction(session.id);
    },

    async recordOutOfBandPayment(input) {
      const invoice = await withIdempotency(sandbox, "record_out_of_band_payment", input.idempotencyKey, input, (scope) =>
        recordOutOfBand(scope, { invoiceId: input.invoiceExternalId, amount: input.amount, note: input.note, idempotencyKey: input.idempotencyKey }),
      );
      return toInvoice(invoice);
    },

    async cancelSubscription(input) {
      const subscription = await withIdempotency(sandbox, "cancel_subscription", input.idempotencyKey, input, (scope) => cancel(scope, input.subscriptionExternalId, input.atPeriodEnd));
      return toSubscription(subscription);
    },

    async pauseSubscription(input) {
      const subscription = await withIdempotency(sandbox, "pause_subscription", input.idempotencyKey, input, (scope) => pause(scope, input.subscriptionExternalId));
      return toSubscription(subscription);
    },

    async markInvoiceUncollectible(input) {
      const invoice = await withIdempotency(sandbox, "mark_invoice_uncollectible", input.idempotencyKey, input, (scope) => closeInvoice(scope, input.invoiceExternalId, "uncollectible"));
      return toInvoice(invoice);
    },

    listMissedEvents: (input) => listUndeliveredEvents(reader(), input),
    listCustomers: (cursor) => page("customer", cursor, toCustomer),
    listSubscriptions: (cursor) => page("subscription", cursor, toSubscription),
    listOpenInvoices: (cursor) => page("invoice", cursor, toInvoice, { status: "open" }),
  };
}
