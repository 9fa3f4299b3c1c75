import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import cardFixture from "../fixtures/stripe/card.json";
import chargeFixture from "../fixtures/stripe/charge.json";
import customerFixture from "../fixtures/stripe/customer.json";
import eventFixture from "../fixtures/stripe/event.json";
import invoicePaymentFixture from "../fixtures/stripe/invoice-payment.json";
import invoiceFixture from "../fixtures/stripe/invoice.json";
import intentFixture from "../fixtures/stripe/payment-intent.json";
import methodFixture from "../fixtures/stripe/payment-method.json";
import setupIntentFixture from "../fixtures/stripe/setup-intent.json";
import subscriptionFixture from "../fixtures/stripe/subscription.json";

/** Stripe's JSON, loosely typed on purpose: the fake edits objects the way Stripe's servers do. */
export type Json = any;

/** How a saved card answers a charge. */
export type CardBehaviour =
  | { outcome: "succeed" }
  | { outcome: "requires_action" }
  | {
      outcome: "decline";
      declineCode: string;
      code?: string;
      message?: string;
      adviceCode?: string | null;
      networkAdviceCode?: string | null;
      networkDeclineCode?: string | null;
    };

export type ConfirmResult = { kind: "succeeded" | "declined"; charge: Json } | { kind: "requires_action"; charge: null };

const clone = <T>(value: T): T => structuredClone(value);

/**
 * Stripe's objects kept in memory, built from the recorded fixture shapes (so every field a
 * real response has is there) and changed the way Stripe changes them.
 */
export class FakeStripeState {
  /** Unix seconds; tests may pin it. */
  now = (): number => Math.floor(Date.now() / 1000);
  readonly customers = new Map<string, Json>();
  readonly sources = new Map<string, Json>();
  readonly paymentMethods = new Map<string, Json>();
  readonly products = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  readonly invoices = new Map<string, Json>();
  readonly invoicePayments = new Map<string, Json>();
  readonly paymentIntents = new Map<string, Json>();
  readonly charges = new Map<string, Json>();
  readonly setupIntents = new Map<string, Json>();
  readonly events: { event: Json; delivered: boolean }[] = [];
  readonly behaviours = new Map<string, CardBehaviour>();
  /** Invoices finalized before confirmation secrets existed: they expose none. */
  readonly withoutConfirmationSecret = new Set<string>();
  private seq = 0;

  id(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${this.seq.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
  }

  addCustomer(o: { email?: string; name?: string; currency?: string; country?: string; locale?: string; metadata?: Record<string, string> } = {}): Json {
    const customer = clone(customerFixture) as Json;
    Object.assign(customer, { id: this.id("cus"), created: this.now(), email: o.email ?? "ada@example.com", name: o.name ?? "Ada Lovelace" });
    Object.assign(customer, { currency: o.currency ?? "eur", discount: null, metadata: o.metadata ?? {}, preferred_locales: o.locale ? [o.locale] : [] });
    customer.address.country = o.country ?? "FR";
    this.customers.set(customer.id, customer);
    return customer;
  }

  addCard(customerId: string, o: { brand?: string; last4?: string; expMonth?: number; expYear?: number; fingerprint?: string; behaviour?: CardBehaviour; isDefault?: boolean } = {}): Json {
    const method = clone(methodFixture) as Json;
    Object.assign(method, { id: this.id("pm"), customer: customerId, created: this.now(), metadata: {} });
    Object.assign(method.card, { brand: o.brand ?? "visa", display_brand: o.brand ?? "visa", last4: o.last4 ?? "4242", exp_month: o.expMonth ?? 8, exp_year: o.expYear ?? 2030 });
    method.card.fingerprint = o.fingerprint ?? `fp${randomBytes(6).toString("hex")}`;
    this.paymentMethods.set(method.id, method);
    if (o.behaviour) this.behaviours.set(method.id, o.behaviour);
    if (o.isDefault ?? true) this.customers.get(customerId).invoice_settings.default_payment_method = method.id;
    return method;
  }

  addLegacyCard(customerId: string, o: { brand?: string; last4?: string; expMonth?: number; expYear?: number } = {}): Json {
    const card = clone(cardFixture) as Json;
    Object.assign(card, { id: this.id("card"), customer: customerId, brand: o.brand ?? "Visa", last4: o.last4 ?? "4242", exp_month: o.expMonth ?? 8, exp_year: o.expYear ?? 2030 });
    this.sources.set(card.id, card);
    return card;
  }

  addSubscription(
    customerId: string,
    o: { unitAmount?: number; quantity?: number; interval?: string; intervalCount?: number; nickname?: string | null; productName?: string; status?: string; currency?: string; periodEnd?: number } = {},
  ): Json {
    const product = { id: this.id("prod"), object: "product", name: o.productName ?? "Team plan", active: true };
    this.products.set(product.id, product);
    const subscription = clone(subscriptionFixture) as Json;
    const id = this.id("sub");
    const now = this.now();
    Object.assign(subscription, { id, customer: customerId, status: o.status ?? "active", currency: o.currency ?? "eur", created: now, start_date: now });
    Object.assign(subscription, { cancel_at: null, canceled_at: null, ended_at: null, cancel_at_period_end: false, pause_collection: null, trial_end: null, trial_start: null });
    Object.assign(subscription, { pending_update: null, latest_invoice: null, transfer_data: null, next_pending_invoice_item_invoice: null });
    const item = subscription.items.data[0];
    Object.assign(item, { id: this.id("si"), subscription: id, quantity: o.quantity ?? 1, current_period_start: now, current_period_end: o.periodEnd ?? now + 30 * 86400 });
    Object.assign(item.price, { id: this.id("price"), product: product.id, unit_amount: o.unitAmount ?? 4900, nickname: o.nickname ?? null, currency: o.currency ?? "eur" });
    Object.assign(item.price.recurring, { interval: o.interval ?? "month", interval_count: o.intervalCount ?? 1 });
    item.price.unit_amount_decimal = String(item.price.unit_amount);
    subscription.items.url = `/v1/subscription_items?subscription=${id}`;
    this.subscriptions.set(id, subscription);
    return subscription;
  }

  /** A finalized invoice with the default payment (and its PaymentIntent) Stripe creates at finalization. */
  addInvoice(
    customerId: string,
    o: { subscriptionId?: string; amountDue?: number; currency?: string; number?: string; dueDate?: number | null; nextPaymentAttempt?: number | null; confirmationSecret?: boolean } = {},
  ): Json {
    const invoice = clone(invoiceFixture) as Json;
    const id = this.id("in");
    const now = this.now();
    const amount = o.amountDue ?? 4900;
    delete invoice.subscription; // gone from the API since 2025-03-31; the fixture still lists it
    Object.assign(invoice, { id, customer: customerId, status: "open", currency: o.currency ?? "eur", created: now, effective_at: now });
    Object.assign(invoice, { amount_due: amount, amount_remaining: amount, amount_paid: 0, amount_overpaid: 0, total: amount, subtotal: amount });
    Object.assign(invoice, { subtotal_excluding_tax: amount, total_excluding_tax: amount, attempt_count: 0, attempted: false, auto_advance: true });
    Object.assign(invoice, { number: o.number ?? `DW-${this.seq}`, due_date: o.dueDate ?? null, next_payment_attempt: o.nextPaymentAttempt ?? null });
    Object.assign(invoice, { hosted_invoice_url: `https://invoice.stripe.com/i/${id}`, last_finalization_error: null, from_invoice: null, shipping_cost: null });
    invoice.billing_reason = o.subscriptionId ? "subscription_cycle" : "manual";
    invoice.parent = o.subscriptionId
      ? { type: "subscription_details", quote_details: null, subscription_details: { subscription: o.subscriptionId, metadata: {} } }
      : null;
    invoice.status_transitions = { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null };
    Object.assign(invoice.lines.data[0], { invoice: id, amount, currency: invoice.currency, id: this.id("il") });
    invoice.lines.url = `/v1/invoices/${id}/lines`;
    this.invoices.set(id, invoice);
    if (o.confirmationSecret === false) this.withoutConfirmationSecret.add(id);
    const intent = this.addIntent({ amount, currency: invoice.currency, customer: customerId, description: `Payment for Invoice ${invoice.number}` });
    this.addInvoicePayment(invoice, intent, true);
    return invoice;
  }

  /** A SetupIntent for saving a card to the customer, as setupIntents.create makes it. */
  addSetupIntent(customerId: string, o: { metadata?: Record<string, string>; usage?: string } = {}): Json {
    const id = this.id("seti");
    const intent = { ...clone(setupIntentFixture), id, client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`, customer: customerId, usage: o.usage ?? "off_session" };
    Object.assign(intent, { created: this.now(), last_setup_error: null, next_action: null, metadata: o.metadata ?? {}, status: "requires_payment_method", payment_method: null });
    this.setupIntents.set(id, intent);
    return intent;
  }

  addIntent(o: { amount: number; currency: string; customer: string | null; description?: string | null; metadata?: Record<string, string>; paymentMethod?: string | null }): Json {
    const intent = clone(intentFixture) as Json;
    const id = this.id("pi");
    Object.assign(intent, { id, client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`, amount: o.amount, currency: o.currency, customer: o.customer });
    Object.assign(intent, { description: o.description ?? null, metadata: o.metadata ?? {}, payment_method: o.paymentMethod ?? null, created: this.now() });
    Object.assign(intent, { status: "requires_payment_method", last_payment_error: null, latest_charge: null, next_action: null, canceled_at: null });
    Object.assign(intent, { processing: null, transfer_data: null, amount_received: 0 });
    this.paymentIntents.set(id, intent);
    return intent;
  }

  addInvoicePayment(invoice: Json, intent: Json, isDefault: boolean): Json {
    const payment = clone(invoicePaymentFixture) as Json;
    Object.assign(payment, { id: this.id("inpay"), invoice: invoice.id, is_default: isDefault, livemode: false, currency: invoice.currency, created: this.now() });
    Object.assign(payment, { amount_requested: intent.amount, amount_paid: null, status: "open", payment: { type: "payment_intent", payment_intent: intent.id } });
    this.invoicePayments.set(payment.id, payment);
    if (intent.status === "succeeded") this.settle(payment);
    return payment;
  }

  paymentsOf(invoiceId: string): Json[] {
    return [...this.invoicePayments.values()].filter((p) => p.invoice === invoiceId);
  }

  defaultIntentOf(invoiceId: string): Json {
    const payment = this.paymentsOf(invoiceId).find((p) => p.is_default);
    return this.paymentIntents.get(payment.payment.payment_intent);
  }

  /**
   * One collection attempt on an open invoice (Stripe's own schedule, or invoices.pay). The
   * invoice's intent waits for the customer (requires_action) when the bank wants 3-D Secure.
   */
  attemptInvoice(invoiceId: string, paymentMethodId?: string): ConfirmResult {
    const invoice = this.invoices.get(invoiceId);
    const method = paymentMethodId ?? invoice.default_payment_method ?? this.customers.get(invoice.customer)?.invoice_settings.default_payment_method;
    if (!method) throw new Error(`invoice ${invoiceId} has no payment method to attempt`);
    Object.assign(invoice, { attempt_count: invoice.attempt_count + 1, attempted: true });
    return this.confirm(this.defaultIntentOf(invoiceId), method, { offSession: false });
  }

  /** Confirm a PaymentIntent with a saved card, the way the card is set up to answer. */
  confirm(intent: Json, paymentMethodId: string, o: { offSession: boolean; authenticated?: boolean }): ConfirmResult {
    const asked = this.behaviours.get(paymentMethodId) ?? { outcome: "succeed" };
    // The customer passed the bank's challenge for this payment: the card answers as it would without one.
    const behaviour: CardBehaviour = o.authenticated && asked.outcome === "requires_action" ? { outcome: "succeed" } : asked;
    intent.payment_method = paymentMethodId;
    if (behaviour.outcome === "requires_action") {
      if (o.offSession) {
        // Off-session, Stripe does not start 3-D Secure: the intent fails with authentication_required.
        const error = { type: "card_error", code: "authentication_required", decline_code: "authentication_required", message: "Your card was declined. This transaction requires authentication." };
        Object.assign(intent, { status: "requires_payment_method", last_payment_error: { ...error, payment_method: this.paymentMethods.get(paymentMethodId) } });
      } else {
        Object.assign(intent, { status: "requires_action", next_action: { type: "use_stripe_sdk", use_stripe_sdk: {} }, last_payment_error: null });
      }
      return { kind: "requires_action", charge: null };
    }
    const charge = this.addCharge(intent, paymentMethodId, behaviour);
    intent.latest_charge = charge.id;
    if (behaviour.outcome === "decline") {
      const method = this.paymentMethods.get(paymentMethodId);
      intent.status = "requires_payment_method";
      intent.last_payment_error = { ...this.cardError(behaviour, charge.id), payment_method: method };
      return { kind: "declined", charge };
    }
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount, last_payment_error: null, next_action: null });
    for (const payment of this.invoicePayments.values()) if (payment.payment.payment_intent === intent.id) this.settle(payment);
    return { kind: "succeeded", charge };
  }

  /**
   * What Stripe.js does when the customer submits the Payment Element: a new card is created
   * and the intent confirmed on-session (a SetupIntent also attaches the card to its customer).
   * A card that asks for 3-D Secure leaves the intent in requires_action until the customer
   * completes the challenge (`authenticate: true`); once set up, it charges off-session. A
   * SetupIntent saves a card that declines charges (like Stripe's 4000000000000341) unless
   * `refuseSetup` says the bank refused it there already.
   */
  confirmInBrowser(
    clientSecret: string,
    o: { behaviour?: CardBehaviour; authenticate?: boolean; refuseSetup?: boolean; brand?: string; last4?: string; fingerprint?: string } = {},
  ): { intent: Json; method: Json } {
    const id = clientSecret.split("_secret_")[0]!;
    const setup = this.setupIntents.get(id);
    const intent = setup ?? this.paymentIntents.get(id);
    if (!intent || intent.client_secret !== clientSecret) throw new Error(`no intent has the client secret ${clientSecret}`);
    const behaviour = o.behaviour ?? { outcome: "succeed" };
    const method = this.addCard(intent.customer, { brand: o.brand, last4: o.last4, fingerprint: o.fingerprint, behaviour, isDefault: false });
    const challenged = behaviour.outcome === "requires_action";
    if (!setup) {
      method.customer = null; // a payment does not save the card to the customer
      if (challenged && o.authenticate) this.behaviours.set(method.id, { outcome: "succeed" });
      this.confirm(intent, method.id, { offSession: false });
      return { intent, method };
    }
    if (behaviour.outcome === "decline" && o.refuseSetup) {
      method.customer = null;
      const error = { type: "card_error", code: behaviour.code ?? "card_declined", decline_code: behaviour.declineCode, message: behaviour.message ?? "Your card was declined." };
      Object.assign(setup, { status: "requires_payment_method", payment_method: null, last_setup_error: { ...error, payment_method: method } });
    } else if (challenged && !o.authenticate) {
      Object.assign(setup, { status: "requires_action", payment_method: method.id, next_action: { type: "use_stripe_sdk", use_stripe_sdk: {} }, last_setup_error: null });
    } else {
      if (challenged) this.behaviours.set(method.id, { outcome: "succeed" });
      Object.assign(setup, { status: "succeeded", payment_method: method.id, next_action: null, last_setup_error: null });
    }
    return { intent: setup, method };
  }

  /**
   * What Stripe.js does for a PaymentIntent Dunwell charged off-session with a saved card that
   * asked for authentication: `handleNextAction` (requires_action) or `confirmPayment` with that
   * card (refused off-session), the bank's challenge, passed or not (the card still answers as
   * it would after the challenge: a decline stays a decline).
   */
  authenticateInBrowser(clientSecret: string, o: { pass: boolean }): Json {
    const intent = this.paymentIntents.get(clientSecret.split("_secret_")[0]!);
    if (!intent || intent.client_secret !== clientSecret) throw new Error(`no PaymentIntent has the client secret ${clientSecret}`);
    const method = intent.payment_method ?? intent.last_payment_error?.payment_method?.id;
    if (!method || !["requires_action", "requires_payment_method"].includes(intent.status)) throw new Error(`PaymentIntent ${intent.id} is ${intent.status}; there is nothing to authenticate`);
    if (!o.pass) {
      const error = { type: "invalid_request_error", code: "payment_intent_authentication_failure", message: "The provided PaymentMethod has failed authentication.", payment_method: this.paymentMethods.get(method) };
      Object.assign(intent, { status: "requires_payment_method", next_action: null, last_payment_error: error });
      return intent;
    }
    this.confirm(intent, method, { offSession: false, authenticated: true });
    return intent;
  }

  /** Stripe's error body for a declined card (also what last_payment_error holds). */
  cardError(behaviour: Extract<CardBehaviour, { outcome: "decline" }>, chargeId: string): Json {
    return {
      type: "card_error",
      code: behaviour.code ?? "card_declined",
      decline_code: behaviour.declineCode,
      message: behaviour.message ?? "Your card was declined.",
      charge: chargeId,
      doc_url: `https://docs.stripe.com/error-codes/${behaviour.code ?? "card-declined"}`,
      ...(behaviour.adviceCode ? { advice_code: behaviour.adviceCode } : {}),
      ...(behaviour.networkAdviceCode ? { network_advice_code: behaviour.networkAdviceCode } : {}),
      ...(behaviour.networkDeclineCode ? { network_decline_code: behaviour.networkDeclineCode } : {}),
    };
  }

  private addCharge(intent: Json, paymentMethodId: string, behaviour: CardBehaviour): Json {
    const method = this.paymentMethods.get(paymentMethodId);
    const charge = clone(chargeFixture) as Json;
    const declined = behaviour.outcome === "decline";
    Object.assign(charge, { id: this.id("ch"), amount: intent.amount, currency: intent.currency, customer: intent.customer, payment_intent: intent.id });
    Object.assign(charge, { payment_method: paymentMethodId, created: this.now(), description: intent.description, source: null, transfer_data: null });
    Object.assign(charge, { status: declined ? "failed" : "succeeded", paid: !declined, captured: !declined, amount_captured: declined ? 0 : intent.amount });
    Object.assign(charge, { failure_code: declined ? (behaviour.code ?? "card_declined") : null, failure_message: declined ? (behaviour.message ?? "Your card was declined.") : null });
    charge.outcome = declined
      ? {
          type: "issuer_declined",
          reason: behaviour.declineCode,
          network_status: "declined_by_network",
          seller_message: "The bank did not return any further details with this decline.",
          advice_code: behaviour.adviceCode ?? null,
          network_advice_code: behaviour.networkAdviceCode ?? null,
          network_decline_code: behaviour.networkDeclineCode ?? null,
          risk_level: "normal",
        }
      : { type: "authorized", reason: null, network_status: "approved_by_network", seller_message: "Payment complete.", advice_code: null, network_advice_code: null, network_decline_code: null, risk_level: "normal" };
    Object.assign(charge.payment_method_details.card, { brand: method.card.brand, last4: method.card.last4, exp_month: method.card.exp_month });
    Object.assign(charge.payment_method_details.card, { exp_year: method.card.exp_year, fingerprint: method.card.fingerprint });
    charge.refunds.url = `/v1/charges/${charge.id}/refunds`;
    this.charges.set(charge.id, charge);
    return charge;
  }

  /** A succeeded payment counts toward its invoice; the default payment follows what remains. */
  settle(payment: Json): void {
    if (payment.status === "paid") return;
    const invoice = this.invoices.get(payment.invoice);
    payment.status = "paid";
    payment.amount_paid = payment.amount_requested;
    payment.status_transitions = { canceled_at: null, paid_at: this.now() };
    invoice.amount_paid += payment.amount_requested;
    invoice.amount_remaining = Math.max(0, invoice.amount_due - invoice.amount_paid);
    if (invoice.amount_remaining === 0) {
      Object.assign(invoice, { status: "paid", next_payment_attempt: null });
      invoice.status_transitions.paid_at = this.now();
    } else {
      const fallback = this.paymentsOf(invoice.id).find((p) => p.is_default && p.status === "open");
      if (fallback) {
        fallback.amount_requested = invoice.amount_remaining;
        this.paymentIntents.get(fallback.payment.payment_intent).amount = invoice.amount_remaining;
      }
    }
  }

  /** A webhook event as Stripe would send it (and list it in /v1/events). */
  addEvent(type: string, object: Json, o: { previousAttributes?: Json; delivered?: boolean; created?: number } = {}): Json {
    const event = clone(eventFixture) as Json;
    Object.assign(event, { id: this.id("evt"), type, created: o.created ?? this.now(), api_version: Stripe.API_VERSION, pending_webhooks: 1 });
    event.data = { object: clone(object), ...(o.previousAttributes ? { previous_attributes: o.previousAttributes } : {}) };
    event.request = { id: null, idempotency_key: null };
    this.events.push({ event, delivered: o.delivered ?? true });
    return event;
  }
}
