import { newId } from "@/lib/ids";
import { ProviderError } from "../errors";
import type { RawOutcome } from "./mappers";
import {
  findObject,
  fresh,
  getObject,
  listObjects,
  putObject,
  recordEvent,
  unixSeconds,
  type SandboxCharge,
  type SandboxCustomer,
  type SandboxInvoice,
  type SandboxPaymentMethod,
  type SandboxScope,
} from "./store";
import { decideCharge, fingerprintFor, findTestCard, missingPaymentMethod, type ChargeDecision } from "./test-cards";

/**
 * The sandbox's card processor: one charge, and what follows from it on the invoice, the
 * subscription and the customer, with the events Stripe would send in Stripe's order
 * (charge, payment intent, invoice, subscription, customer).
 */

export type ChargeRequest = {
  customer: SandboxCustomer;
  /** The invoice the money goes to (required for purpose "invoice"). */
  invoice: SandboxInvoice | null;
  method: SandboxPaymentMethod | null;
  amount: number;
  currency: string;
  purpose: "invoice" | "installment";
  initiatedBy: SandboxCharge["initiated_by"];
  idempotencyKey: string | null;
  description: string | null;
  /** This charge follows the customer's 3-D Secure authentication. */
  authenticated?: boolean;
};

const authenticationRequired = {
  failureCode: "authentication_required",
  declineCode: "authentication_required",
  message: "This payment requires the customer to authenticate (3-D Secure).",
};

/** The payment method to charge: the one asked for (it must be the customer's), else the default. */
export async function methodFor(scope: SandboxScope, customer: SandboxCustomer, requested: string | undefined): Promise<SandboxPaymentMethod | null> {
  const id = requested ?? customer.default_payment_method;
  if (!id) return null;
  const method = await getObject(scope, "payment_method", id);
  if (method.customer !== customer.id || method.status !== "active") {
    throw new ProviderError(`Payment method '${id}' is not attached to customer '${customer.id}'.`, "sandbox", 400, false, null, "payment_method_unexpected_state");
  }
  return method;
}

/** A test card by token, optionally one that declines (insufficient_funds) until a date. */
export type CardInput = string | { token: string; declineUntil?: string | Date | null };

/** Attach a test card to a customer; as the default, the previous default gets a new version saying it no longer is. */
export async function attach(scope: SandboxScope, customer: SandboxCustomer, card: CardInput, makeDefault: boolean) {
  const { token, declineUntil } = typeof card === "string" ? { token: card, declineUntil: null } : card;
  const test = findTestCard(token);
  const until = declineUntil ? new Date(declineUntil) : null;
  if (until && Number.isNaN(until.getTime())) throw new ProviderError(`declineUntil must be an ISO date, got '${String(declineUntil)}'.`, "sandbox", 400, false);
  const method = await putObject<SandboxPaymentMethod>(scope, {
    ...fresh(scope, newId("pm")),
    object: "payment_method",
    customer: customer.id,
    type: "card",
    token,
    card: { brand: test.brand, last4: test.last4, exp_month: test.expMonth, exp_year: test.expYear, fingerprint: fingerprintFor(test, customer.id) },
    decline_until: until?.toISOString() ?? null,
    status: "active",
  });
  await recordEvent(scope, "payment_method.attached", method);
  if (!makeDefault) return { method, customer };
  const previous = customer.default_payment_method ? await findObject(scope, "payment_method", customer.default_payment_method) : null;
  const updated = await putObject(scope, { ...customer, default_payment_method: method.id });
  await recordEvent(scope, "customer.updated", updated);
  // The old default is no longer the default: a new version of it says so.
  if (previous?.status === "active") await recordEvent(scope, "payment_method.updated", await putObject(scope, previous));
  return { method, customer: updated };
}

export function requireOpen(invoice: SandboxInvoice): void {
  if (invoice.status !== "open") throw new ProviderError(`Invoice '${invoice.id}' is ${invoice.status}, not open.`, "sandbox", 400, false, null, "invoice_not_open");
}

export async function createCharge(scope: SandboxScope, request: ChargeRequest): Promise<RawOutcome> {
  const { customer, method } = request;
  const decision: ChargeDecision = method
    ? decideCharge(findTestCard(method.token), { now: scope.now, declineUntil: method.decline_until, authenticated: request.authenticated ?? false })
    : { status: "failed", decline: missingPaymentMethod };
  const decline = decision.status === "failed" ? decision.decline : null;
  const needsAction = decision.status === "requires_action";
  const charge = await putObject<SandboxCharge>(scope, {
    ...fresh(scope, newId("ch")),
    object: "charge",
    payment_intent: newId("pi"),
    purpose: request.purpose,
    customer: customer.id,
    invoice: request.invoice?.id ?? null,
    payment_method: method?.id ?? null,
    card: method ? { brand: method.card.brand, fingerprint: method.card.fingerprint } : null,
    amount: request.amount,
    currency: request.currency,
    status: decision.status,
    failure_code: decline?.failureCode ?? (needsAction ? authenticationRequired.failureCode : null),
    failure_message: decline?.message ?? (needsAction ? authenticationRequired.message : null),
    decline_code: decline?.declineCode ?? (needsAction ? authenticationRequired.declineCode : null),
    advice_code: decline?.adviceCode ?? null,
    network_advice_code: decline?.networkAdviceCode ?? null,
    network_decline_code: decline?.networkDeclineCode ?? null,
    initiated_by: request.initiatedBy,
    idempotency_key: request.idempotencyKey,
    description: request.description,
    authenticated_by: null,
  });
  const intent = intentOf(charge);
  if (charge.status === "succeeded") {
    await recordEvent(scope, "charge.succeeded", charge);
    await recordEvent(scope, "payment_intent.succeeded", intent);
  } else if (charge.status === "failed") {
    await recordEvent(scope, "charge.failed", charge);
    await recordEvent(scope, "payment_intent.payment_failed", intent);
  } else {
    await recordEvent(scope, "payment_intent.requires_action", intent);
  }
  const invoice = request.invoice ? await applyToInvoice(scope, request, charge, request.invoice) : null;
  return { charge, invoice };
}

/** A Stripe-shaped PaymentIntent snapshot for payment_intent.* events (the charge is the record). */
const intentOf = (ch: SandboxCharge) => ({
  id: ch.payment_intent,
  object: "payment_intent",
  status: ch.status === "failed" ? "requires_payment_method" : ch.status,
  amount: ch.amount,
  currency: ch.currency,
  customer: ch.customer,
  invoice: ch.invoice,
  latest_charge: ch.id,
  last_payment_error: ch.failure_code ? { code: ch.failure_code, decline_code: ch.decline_code, message: ch.failure_message } : null,
});

async function applyToInvoice(scope: SandboxScope, request: ChargeRequest, charge: SandboxCharge, before: SandboxInvoice): Promise<SandboxInvoice> {
  const counts = request.purpose === "invoice";
  let invoice = counts ? { ...before, attempt_count: before.attempt_count + 1, charge: charge.id } : before;
  if (charge.status === "succeeded") {
    const remaining = invoice.amount_remaining - charge.amount;
    invoice = { ...invoice, amount_paid: invoice.amount_paid + charge.amount, amount_remaining: remaining };
    if (remaining === 0) invoice = { ...invoice, status: "paid", paid_at: unixSeconds(scope.now) };
  }
  if (invoice === before) return before;
  invoice = await putObject(scope, invoice);

  if (charge.status === "succeeded") {
    if (invoice.status === "paid") {
      await recordEvent(scope, "invoice.paid", invoice);
      if (counts) await recordEvent(scope, "invoice.payment_succeeded", invoice);
      await afterInvoiceClosed(scope, invoice);
    } else {
      await recordEvent(scope, "invoice.updated", invoice);
    }
  } else if (counts) {
    await recordEvent(scope, charge.status === "failed" ? "invoice.payment_failed" : "invoice.payment_action_required", invoice);
    await markPastDue(scope, invoice);
    await setDelinquent(scope, invoice.customer, true);
  }
  return invoice;
}

/** A failed renewal makes the subscription past_due, as Stripe does before its own dunning ends. */
async function markPastDue(scope: SandboxScope, invoice: SandboxInvoice): Promise<void> {
  if (!invoice.subscription) return;
  const subscription = await getObject(scope, "subscription", invoice.subscription);
  if (subscription.status !== "active") return;
  await recordEvent(scope, "customer.subscription.updated", await putObject(scope, { ...subscription, status: "past_due" }));
}

/**
 * An invoice left the open state (paid, voided, uncollectible): a past-due subscription with
 * nothing else open is active again, and the customer is delinquent only while a failed
 * invoice stays open.
 */
export async function afterInvoiceClosed(scope: SandboxScope, invoice: SandboxInvoice): Promise<void> {
  if (invoice.subscription && invoice.status === "paid") {
    const subscription = await getObject(scope, "subscription", invoice.subscription);
    const open = await listObjects(scope, "invoice", { where: { subscription: subscription.id, status: "open" } });
    if ((subscription.status === "past_due" || subscription.status === "unpaid") && open.length === 0) {
      await recordEvent(scope, "customer.subscription.updated", await putObject(scope, { ...subscription, status: "active" }));
    }
  }
  const failedOpen = await listObjects(scope, "invoice", { where: { customer: invoice.customer, status: "open" } });
  await setDelinquent(scope, invoice.customer, failedOpen.some((i) => i.attempt_count > 0));
}

async function setDelinquent(scope: SandboxScope, customerId: string, delinquent: boolean): Promise<void> {
  const customer = await findObject(scope, "customer", customerId);
  if (!customer || customer.delinquent === delinquent) return;
  await recordEvent(scope, "customer.updated", await putObject(scope, { ...customer, delinquent }));
}
