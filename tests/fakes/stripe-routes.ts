import accountFixture from "../fixtures/stripe/account.json";
import balanceFixture from "../fixtures/stripe/balance.json";
import type { FakeStripeState, Json } from "./stripe-state";

/** A Stripe-shaped error the routes throw; the server answers with it. */
export class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: Json,
  ) {
    super(error.message);
  }
}

const notFound = (kind: string, id: string, param = "id") =>
  new StripeHttpError(404, { type: "invalid_request_error", code: "resource_missing", param, message: `No such ${kind}: '${id}'`, doc_url: "https://docs.stripe.com/error-codes/resource-missing" });

const invalid = (message: string, code?: string) => new StripeHttpError(400, { type: "invalid_request_error", message, ...(code ? { code } : {}) });

type Route = { method: string; pattern: RegExp; handle: (params: string[], body: Record<string, Json>) => Json };

const expandsOf = (body: Record<string, Json>): string[] => (Array.isArray(body.expand) ? body.expand : []);
const truthy = (value: Json) => value === true || value === "true";

/** The endpoints the adapter calls, answering as Stripe's API does. */
export function stripeRoutes(state: FakeStripeState): Route[] {
  const kinds: [string, Map<string, Json>, string][] = [
    ["ch_", state.charges, "charge"],
    ["pi_", state.paymentIntents, "payment_intent"],
    ["prod_", state.products, "product"],
    ["pm_", state.paymentMethods, "payment_method"],
    ["cus_", state.customers, "customer"],
    ["in_", state.invoices, "invoice"],
    ["sub_", state.subscriptions, "subscription"],
    ["seti_", state.setupIntents, "setup_intent"],
  ];
  const lookup = (id: string) => kinds.find(([prefix]) => id.startsWith(prefix))?.[1].get(id);

  /** Stripe's `expand[]`: ids along the path become the objects they name. */
  function expandPath(node: Json, path: string[]): void {
    if (!node || path.length === 0) return;
    const [head, ...rest] = path as [string, ...string[]];
    if (head === "data" && Array.isArray(node.data)) return node.data.forEach((item: Json) => expandPath(item, rest));
    if (typeof node[head] === "string") node[head] = structuredClone(lookup(node[head]) ?? node[head]);
    expandPath(node[head], rest);
  }

  function render(object: Json, body: Record<string, Json> = {}): Json {
    const copy = structuredClone(object);
    const expand = expandsOf(body);
    // confirmation_secret is includable: sent only when asked for, and only for invoices that have one.
    if (copy.object === "invoice" && expand.includes("confirmation_secret")) {
      const intent = copy.status === "open" && !state.withoutConfirmationSecret.has(copy.id) ? state.defaultIntentOf(copy.id) : null;
      copy.confirmation_secret = intent ? { client_secret: intent.client_secret, type: "payment_intent" } : null;
    }
    for (const path of expand.filter((p) => p !== "confirmation_secret")) expandPath(copy, path.split("."));
    return copy;
  }

  /** Newest first, cursor by id, as Stripe's list endpoints page. */
  function list(url: string, items: Json[], body: Record<string, Json>): Json {
    const sorted = items.map((item, i) => ({ item, i })).sort((a, b) => b.item.created - a.item.created || b.i - a.i).map(({ item }) => item);
    const limit = Math.min(100, Number(body.limit ?? 10));
    let start = 0;
    if (body.starting_after) {
      start = sorted.findIndex((item) => item.id === body.starting_after) + 1;
      if (start === 0) throw notFound("object", body.starting_after, "starting_after");
    }
    const page = sorted.slice(start, start + limit);
    return { object: "list", url, has_more: start + limit < sorted.length, data: page.map((item) => render(item, { expand: expandsOf(body).map((p) => p.replace(/^data\./, "")) })) };
  }

  const get = (map: Map<string, Json>, kind: string, id: string): Json => {
    const found = map.get(id);
    if (!found) throw notFound(kind, id);
    return found;
  };
  const openInvoice = (id: string): Json => {
    const invoice = get(state.invoices, "invoice", id);
    if (invoice.status !== "open") throw invalid(`Invoice is already ${invoice.status}.`, "invoice_not_open");
    return invoice;
  };

  return [
    { method: "GET", pattern: /^\/v1\/account$/, handle: () => ({ ...structuredClone(accountFixture), id: "acct_1DunwellFake" }) },
    { method: "GET", pattern: /^\/v1\/balance$/, handle: () => structuredClone(balanceFixture) },

    { method: "GET", pattern: /^\/v1\/customers$/, handle: (_, b) => list("/v1/customers", [...state.customers.values()], b) },
    { method: "GET", pattern: /^\/v1\/customers\/([^/]+)$/, handle: ([id], b) => render(get(state.customers, "customer", id!), b) },
    {
      method: "POST",
      pattern: /^\/v1\/customers\/([^/]+)$/,
      handle: ([id], b) => {
        const customer = get(state.customers, "customer", id!);
        const method = b.invoice_settings?.default_payment_method;
        if (method !== undefined) {
          // Stripe refuses a default the customer does not own.
          if (method !== "" && state.paymentMethods.get(method)?.customer !== customer.id) {
            throw invalid(`The customer does not have a payment method with the ID ${method}. The payment method must be attached to the customer.`, "resource_missing");
          }
          customer.invoice_settings.default_payment_method = method === "" ? null : method;
        }
        if (b.metadata !== undefined) customer.metadata = { ...customer.metadata, ...b.metadata };
        return render(customer, b);
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/customers\/([^/]+)\/sources\/([^/]+)$/,
      handle: ([customer, id]) => {
        const card = state.sources.get(id!);
        if (!card || card.customer !== customer) throw notFound("source", id!);
        return render(card);
      },
    },

    { method: "GET", pattern: /^\/v1\/payment_methods\/([^/]+)$/, handle: ([id], b) => render(get(state.paymentMethods, "PaymentMethod", id!), b) },
    {
      method: "GET",
      pattern: /^\/v1\/payment_methods$/,
      handle: (_, b) => {
        get(state.customers, "customer", b.customer);
        const methods = [...state.paymentMethods.values()].filter((m) => m.customer === b.customer && (!b.type || m.type === b.type));
        return list("/v1/payment_methods", methods, b);
      },
    },

    { method: "GET", pattern: /^\/v1\/subscriptions\/([^/]+)$/, handle: ([id], b) => render(get(state.subscriptions, "subscription", id!), b) },
    {
      method: "GET",
      pattern: /^\/v1\/subscriptions$/,
      handle: (_, b) => {
        // Without a status Stripe leaves canceled subscriptions out; "all" includes them.
        const all = [...state.subscriptions.values()]
          .filter((s) => !b.customer || s.customer === b.customer)
          .filter((s) => (b.status === "all" ? true : b.status ? s.status === b.status : s.status !== "canceled"));
        return list("/v1/subscriptions", all, b);
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/subscriptions\/([^/]+)$/,
      handle: ([id], b) => {
        const subscription = get(state.subscriptions, "subscription", id!);
        if (b.cancel_at_period_end !== undefined) {
          subscription.cancel_at_period_end = truthy(b.cancel_at_period_end);
          subscription.cancel_at = subscription.cancel_at_period_end ? subscription.items.data[0].current_period_end : null;
        }
        if (b.default_payment_method !== undefined) {
          if (b.default_payment_method !== "" && state.paymentMethods.get(b.default_payment_method)?.customer !== subscription.customer) {
            throw invalid(`The customer does not have a payment method with the ID ${b.default_payment_method}.`, "resource_missing");
          }
          subscription.default_payment_method = b.default_payment_method === "" ? null : b.default_payment_method;
        }
        if (b.pause_collection !== undefined) subscription.pause_collection = b.pause_collection === "" ? null : { behavior: b.pause_collection.behavior, resumes_at: null };
        return render(subscription, b);
      },
    },
    {
      method: "DELETE",
      pattern: /^\/v1\/subscriptions\/([^/]+)$/,
      handle: ([id], b) => {
        const subscription = get(state.subscriptions, "subscription", id!);
        Object.assign(subscription, { status: "canceled", canceled_at: state.now(), ended_at: state.now() });
        return render(subscription, b);
      },
    },

    { method: "GET", pattern: /^\/v1\/invoices\/([^/]+)$/, handle: ([id], b) => render(get(state.invoices, "invoice", id!), b) },
    {
      method: "GET",
      pattern: /^\/v1\/invoices$/,
      handle: (_, b) => list("/v1/invoices", [...state.invoices.values()].filter((i) => !b.status || i.status === b.status), b),
    },
    {
      method: "POST",
      pattern: /^\/v1\/invoices\/([^/]+)\/pay$/,
      handle: ([id], b) => {
        const invoice = openInvoice(id!);
        if (truthy(b.paid_out_of_band)) {
          for (const payment of state.paymentsOf(invoice.id)) if (payment.status === "open") payment.status = "canceled";
          Object.assign(invoice, { status: "paid", amount_paid: invoice.amount_due, amount_remaining: 0, next_payment_attempt: null });
          invoice.amount_paid_off_stripe = invoice.amount_due;
          invoice.status_transitions.paid_at = state.now();
          return render(invoice, b);
        }
        const customer = state.customers.get(invoice.customer);
        const method = b.payment_method ?? invoice.default_payment_method ?? customer?.invoice_settings.default_payment_method;
        if (!method) throw invalid("This customer has no attached payment source or default payment method.");
        const result = state.attemptInvoice(invoice.id, method);
        if (result.kind === "declined") throw new StripeHttpError(402, state.paymentIntents.get(result.charge.payment_intent).last_payment_error);
        if (result.kind === "requires_action") {
          throw new StripeHttpError(402, {
            type: "card_error",
            code: "invoice_payment_intent_requires_action",
            message: "This payment requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with the invoice.",
          });
        }
        return render(invoice, b);
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/invoices\/([^/]+)\/attach_payment$/,
      handle: ([id], b) => {
        const invoice = openInvoice(id!);
        const intent = get(state.paymentIntents, "payment_intent", b.payment_intent);
        if (intent.currency !== invoice.currency || intent.customer !== invoice.customer) throw invalid("The PaymentIntent must have the invoice's currency and customer.");
        if (intent.amount > invoice.amount_remaining) throw invalid("The PaymentIntent's amount exceeds the invoice's amount_remaining.");
        if (!state.paymentsOf(invoice.id).some((p) => p.payment.payment_intent === intent.id)) state.addInvoicePayment(invoice, intent, false);
        return render(invoice, b);
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/invoices\/([^/]+)\/mark_uncollectible$/,
      handle: ([id], b) => {
        const invoice = openInvoice(id!);
        Object.assign(invoice, { status: "uncollectible", next_payment_attempt: null });
        invoice.status_transitions.marked_uncollectible_at = state.now();
        return render(invoice, b);
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/invoice_payments$/,
      handle: (_, b) => {
        const all = [...state.invoicePayments.values()].filter(
          (p) => (!b.invoice || p.invoice === b.invoice) && (!b.payment?.payment_intent || p.payment.payment_intent === b.payment.payment_intent),
        );
        if (b.invoice) get(state.invoices, "invoice", b.invoice);
        return list("/v1/invoice_payments", all, b);
      },
    },

    { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handle: ([id], b) => render(get(state.paymentIntents, "payment_intent", id!), b) },
    {
      method: "POST",
      pattern: /^\/v1\/payment_intents$/,
      handle: (_, b) => {
        if (b.customer) get(state.customers, "customer", b.customer);
        const intent = state.addIntent({ amount: Number(b.amount), currency: b.currency, customer: b.customer ?? null, description: b.description, metadata: b.metadata, paymentMethod: b.payment_method });
        if (truthy(b.confirm)) {
          if (!b.payment_method) throw invalid("You must provide a payment_method to confirm this PaymentIntent.");
          state.confirm(intent, b.payment_method, { offSession: truthy(b.off_session) });
          // A decline (or authentication needed off-session) is a 402 carrying the failed intent.
          if (intent.status === "requires_payment_method") throw new StripeHttpError(402, { ...intent.last_payment_error, payment_intent: render(intent) });
        }
        return render(intent, b);
      },
    },
    { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, handle: ([id], b) => render(get(state.charges, "charge", id!), b) },
    {
      method: "GET",
      pattern: /^\/v1\/charges$/,
      handle: (_, b) => list("/v1/charges", [...state.charges.values()].filter((c) => !b.payment_intent || c.payment_intent === b.payment_intent), b),
    },
    {
      method: "POST",
      pattern: /^\/v1\/setup_intents$/,
      handle: (_, b) => {
        get(state.customers, "customer", b.customer);
        return render(state.addSetupIntent(b.customer, { metadata: b.metadata, usage: b.usage }), b);
      },
    },
    { method: "GET", pattern: /^\/v1\/setup_intents\/([^/]+)$/, handle: ([id], b) => render(get(state.setupIntents, "setup_intent", id!), b) },
    {
      method: "GET",
      pattern: /^\/v1\/events$/,
      handle: (_, b) => {
        const wantDelivered = b.delivery_success === undefined ? null : truthy(b.delivery_success);
        const since = b.created?.gte === undefined ? null : Number(b.created.gte);
        const events = state.events.filter((e) => (wantDelivered === null || e.delivered === wantDelivered) && (since === null || e.event.created >= since));
        return list("/v1/events", events.map((e) => e.event), b);
      },
    },
  ];
}
