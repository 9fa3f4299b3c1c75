import type Stripe from "stripe";
import type { ClientAction, PaymentOutcome, ProviderInvoice, ProviderPaymentAttempt } from "@/lib/billing/types";
import type { Clock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { isCardError, rethrowStripe, stripeCall } from "./client";
import { attemptFromCharge, attemptFromIntent, idOf, mapInvoice, type AttemptRefs } from "./map";
import type { StripeReader } from "./read";

type Deps = { stripe: Stripe; read: StripeReader; clock: Clock; publishableKey: string | null };

const dunwell = (idempotencyKey: string) => ({ initiatedBy: "dunwell" as const, idempotencyKey });

/** The customer finishes an off-session payment that needs authentication on the portal. */
function authenticate(deps: Deps, intent: Stripe.PaymentIntent | null): ClientAction | undefined {
  if (!intent?.client_secret) return undefined;
  return { kind: "stripe_payment_element", intent: "payment", clientSecret: intent.client_secret, publishableKey: deps.publishableKey };
}

function outcomeOf(deps: Deps, invoice: ProviderInvoice | null, attempt: ProviderPaymentAttempt | null, intent: Stripe.PaymentIntent | null): PaymentOutcome {
  const status = invoice?.status === "paid" && (!attempt || attempt.status === "succeeded") ? "succeeded" : (attempt?.status ?? "pending");
  const action = status === "requires_action" ? authenticate(deps, intent) : undefined;
  return { status, attempt, invoice, ...(action ? { action } : {}) };
}

/**
 * Pay an open invoice now, off-session. A decline is an outcome, not an error: the charge
 * Stripe made is read back with its decline and advice codes. The idempotency key goes to
 * Stripe, so a retry of this step after a lost response replays the first answer.
 */
export async function retryInvoicePayment(
  deps: Deps,
  input: { invoiceExternalId: string; paymentMethodExternalId?: string; idempotencyKey: string },
): Promise<PaymentOutcome> {
  const { stripe, read } = deps;
  const params: Stripe.InvoicePayParams = { off_session: true, ...(input.paymentMethodExternalId ? { payment_method: input.paymentMethodExternalId } : {}) };
  let declinedChargeId: string | null = null;
  let paid: Stripe.Invoice | null = null;
  try {
    paid = await stripe.invoices.pay(input.invoiceExternalId, params, { idempotencyKey: input.idempotencyKey });
  } catch (error) {
    // Card errors (declines, authentication required) are outcomes; anything else is the engine's to retry.
    if (!isCardError(error)) rethrowStripe(error);
    declinedChargeId = error.charge ?? null;
  }
  const invoice = paid ? mapInvoice(paid, deps.clock.now().getTime()) : await read.invoice(input.invoiceExternalId);
  if (!invoice) throw new AppError("not_found", `Stripe has no invoice ${input.invoiceExternalId}.`);
  const refs: AttemptRefs = { ...dunwell(input.idempotencyKey), customerExternalId: invoice.customerExternalId, invoiceExternalId: invoice.externalId };
  if (declinedChargeId) {
    const charge = await read.charge(declinedChargeId);
    const intent = charge?.payment_intent ? await read.rawIntent(idOf(charge.payment_intent)!) : null;
    if (charge) return outcomeOf(deps, invoice, attemptFromCharge(charge, intent, refs), intent);
  }
  // Paid, or stopped before a charge (3-D Secure): the invoice's latest payment says which.
  const wanted = paid ? {} : { status: "requires_action" as const };
  let attempt = await read.invoiceAttempt(invoice, wanted, refs);
  if (!attempt && !paid) attempt = await read.invoiceAttempt(invoice, { status: "failed" }, refs);
  const intent = attempt?.status === "requires_action" ? await read.rawIntent(attempt.externalId) : null;
  return outcomeOf(deps, invoice, attempt, intent);
}

/**
 * An installment: an off-session PaymentIntent for the amount, then attached to the invoice
 * (Stripe's partial payments) so the invoice's amount_remaining goes down by what was paid.
 */
export async function chargeAmount(
  deps: Deps,
  input: {
    customerExternalId: string;
    invoiceExternalId?: string;
    amount: number;
    currency: string;
    paymentMethodExternalId?: string;
    description: string;
    idempotencyKey: string;
  },
): Promise<PaymentOutcome> {
  const { stripe, read } = deps;
  const paymentMethod = input.paymentMethodExternalId ?? (await read.defaultPaymentMethodId(input.customerExternalId));
  if (!paymentMethod) throw new AppError("invalid_input", "This customer has no saved card to charge; ask them to add one in the portal.");
  let intent: Stripe.PaymentIntent | null = null;
  let declinedChargeId: string | null = null;
  try {
    intent = await stripe.paymentIntents.create(
      {
        amount: input.amount,
        currency: input.currency,
        customer: input.customerExternalId,
        payment_method: paymentMethod,
        // Cards only: off-session, with no redirect-based method that would need a return URL.
        allowed_payment_method_types: ["card"],
        off_session: true,
        confirm: true,
        description: input.description,
        metadata: input.invoiceExternalId ? { dunwell_invoice: input.invoiceExternalId } : {},
        expand: ["latest_charge"],
      },
      { idempotencyKey: input.idempotencyKey },
    );
  } catch (error) {
    if (!isCardError(error)) rethrowStripe(error);
    intent = error.payment_intent ?? null;
    declinedChargeId = error.charge ?? null;
  }
  const refs: AttemptRefs = { ...dunwell(input.idempotencyKey), customerExternalId: input.customerExternalId, invoiceExternalId: input.invoiceExternalId ?? null };
  const charge = declinedChargeId
    ? await read.charge(declinedChargeId)
    : typeof intent?.latest_charge === "object"
      ? intent.latest_charge
      : null;
  const attempt = charge ? attemptFromCharge(charge, intent, refs) : intent ? attemptFromIntent(intent, { ...refs, attemptedAt: deps.clock.now() }) : null;
  // A declined intent is not attached (it would sit on the invoice as an open payment); one
  // waiting for authentication is, so the customer's payment settles the invoice when it comes.
  const attachTo = intent && attempt?.status !== "failed" ? input.invoiceExternalId : undefined;
  const invoice = attachTo
    ? mapInvoice(
        await stripeCall(() => stripe.invoices.attachPayment(attachTo, { payment_intent: intent!.id }, { idempotencyKey: `${input.idempotencyKey}:attach` })),
        deps.clock.now().getTime(),
      )
    : input.invoiceExternalId
      ? await read.invoice(input.invoiceExternalId)
      : null;
  const status = attempt?.status ?? "pending";
  const action = status === "requires_action" ? authenticate(deps, intent) : undefined;
  return { status, attempt, invoice, ...(action ? { action } : {}) };
}

/**
 * Whether the customer can still finish this PaymentIntent in the browser: it waits for an
 * action (3-D Secure), or it was refused off-session for want of authentication, or the
 * customer's last challenge failed — the same card may be confirmed again on-session.
 */
function awaitsCustomer(intent: Stripe.PaymentIntent): boolean {
  if (intent.status === "requires_action") return true;
  const code = intent.last_payment_error?.code;
  return intent.status === "requires_payment_method" && (code === "authentication_required" || code === "payment_intent_authentication_failure");
}

/**
 * A charge that waited for the customer's authentication (an installment's PaymentIntent,
 * the attempt's `pi_…`), read back from Stripe and reported as chargeAmount reports it: the
 * attempt from its charge (or the intent), the invoice re-read. While the customer can still
 * authenticate, the outcome is requires_action with the client secret; the attempt names
 * the saved card to confirm. Another customer's intent is answered like one that does not exist.
 */
export async function readPaymentOutcome(
  deps: Deps,
  input: { customerExternalId: string; invoiceExternalId?: string; reference: string; idempotencyKey: string },
): Promise<PaymentOutcome> {
  const { read } = deps;
  const intent = /^pi_\w+$/.test(input.reference) ? await read.rawIntent(input.reference) : null;
  if (!intent || idOf(intent.customer) !== input.customerExternalId) throw new AppError("not_found", "No such payment for this customer.");
  const refs: AttemptRefs = { ...dunwell(input.idempotencyKey), customerExternalId: input.customerExternalId, invoiceExternalId: input.invoiceExternalId ?? null };
  const invoice = input.invoiceExternalId ? await read.invoice(input.invoiceExternalId) : null;
  if (awaitsCustomer(intent)) {
    const attempt = { ...attemptFromIntent(intent, { ...refs, attemptedAt: deps.clock.now() }), externalId: intent.id, status: "requires_action" as const };
    const action = authenticate(deps, intent);
    return { status: "requires_action", attempt, invoice, ...(action ? { action } : {}) };
  }
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  const attempt = charge ? attemptFromCharge(charge, intent, refs) : attemptFromIntent(intent, { ...refs, attemptedAt: deps.clock.now() });
  return { status: attempt.status, attempt, invoice };
}

/**
 * Pay now from the portal. Since 2025-03-31 a finalized invoice exposes the client secret of
 * the payment Stripe created for it (confirmation_secret, returned only when expanded); older
 * invoices get an intent for the amount remaining, attached so the payment settles the invoice.
 */
export async function startPayNow(deps: Deps, input: { invoiceExternalId: string; idempotencyKey: string }): Promise<ClientAction> {
  const { stripe } = deps;
  const invoice = await stripeCall(() => stripe.invoices.retrieve(input.invoiceExternalId, { expand: ["confirmation_secret"] }));
  if (invoice.status !== "open") {
    throw new AppError("conflict", invoice.status === "paid" ? "This invoice is already paid." : `This invoice is ${invoice.status ?? "not finalized"}; there is nothing to pay.`);
  }
  const secret = invoice.confirmation_secret?.client_secret;
  if (secret) return { kind: "stripe_payment_element", intent: "payment", clientSecret: secret, publishableKey: deps.publishableKey };
  const intent = await stripeCall(() =>
    stripe.paymentIntents.create(
      {
        amount: invoice.amount_remaining,
        currency: invoice.currency,
        customer: idOf(invoice.customer) ?? undefined,
        // The customer is on the page: any method the account has enabled, as on Stripe's hosted invoice page.
        automatic_payment_methods: { enabled: true },
        description: invoice.number ? `Invoice ${invoice.number}` : undefined,
        metadata: { dunwell_invoice: invoice.id },
      },
      { idempotencyKey: `${input.idempotencyKey}:intent` },
    ),
  );
  await stripeCall(() => stripe.invoices.attachPayment(invoice.id, { payment_intent: intent.id }, { idempotencyKey: `${input.idempotencyKey}:attach` }));
  const action = authenticate(deps, intent);
  if (!action) throw new AppError("internal", "Stripe returned a PaymentIntent without a client secret.");
  return action;
}

/** Save a new card for later off-session charges (Payment Element with a SetupIntent). */
export async function startPaymentMethodUpdate(deps: Deps, input: { customerExternalId: string; idempotencyKey: string }): Promise<ClientAction> {
  const intent = await stripeCall(() =>
    deps.stripe.setupIntents.create(
      // Cards only: Dunwell retries saved cards off-session, and keeps only a card's brand, last four and expiry.
      { customer: input.customerExternalId, usage: "off_session", allowed_payment_method_types: ["card"], metadata: { dunwell: "payment_method_update" } },
      { idempotencyKey: input.idempotencyKey },
    ),
  );
  if (!intent.client_secret) throw new AppError("internal", "Stripe returned a SetupIntent without a client secret.");
  return { kind: "stripe_payment_element", intent: "setup", clientSecret: intent.client_secret, publishableKey: deps.publishableKey };
}
