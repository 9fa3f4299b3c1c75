import { newId } from "@/lib/ids";
import { ProviderError } from "../errors";
import type { PaymentOutcome, ProviderCustomer, ProviderInvoice, ProviderPaymentMethod } from "../types";
import { toCustomer, toInvoice, toOutcome, toPaymentMethod } from "./mappers";
import { checkAmount } from "./operations";
import { attach, createCharge, methodFor, requireOpen, type CardInput } from "./payments";
import { fresh, getObject, inTransaction, putObject, type SandboxCheckoutSession, type SandboxContext, type SandboxScope } from "./store";

/**
 * The sandbox's stand-in for Stripe's hosted pages: a `sandbox_form` reference is either a
 * checkout session (cs_…: add a card, or pay an invoice) or a charge waiting for 3-D Secure
 * (ch_…). The portal renders the test-card form for it and calls back here; no card data
 * exists, only tokens.
 */

export async function openForm(scope: SandboxScope, input: { mode: "setup" | "payment"; customerId: string; invoiceId: string | null; returnUrl: string }): Promise<SandboxCheckoutSession> {
  return putObject<SandboxCheckoutSession>(scope, {
    ...fresh(scope, newId("cs")),
    object: "checkout_session",
    mode: input.mode,
    customer: input.customerId,
    invoice: input.invoiceId,
    return_url: input.returnUrl,
    status: "open",
    payment_method: null,
  });
}

export type SandboxFormView = {
  reference: string;
  purpose: "setup" | "payment" | "authenticate";
  status: "open" | "complete";
  returnUrl: string | null;
  customer: ProviderCustomer;
  invoice: ProviderInvoice | null;
  /** What the customer is asked to pay or authenticate (null when only adding a card). */
  amount: number | null;
  currency: string;
};

/** What the portal shows on the sandbox form for a reference. */
export async function describeSandboxForm(ctx: SandboxContext, reference: string): Promise<SandboxFormView> {
  return inTransaction(ctx, async (scope) => {
    if (reference.startsWith("ch_")) {
      const charge = await getObject(scope, "charge", reference);
      const customer = await getObject(scope, "customer", charge.customer);
      const invoice = charge.invoice ? await getObject(scope, "invoice", charge.invoice) : null;
      const open = charge.status === "requires_action" && !charge.authenticated_by;
      const amount = charge.purpose === "invoice" && invoice ? invoice.amount_remaining : charge.amount;
      return { reference, purpose: "authenticate", status: open ? "open" : "complete", returnUrl: null, customer: toCustomer(customer), invoice: invoice ? toInvoice(invoice) : null, amount, currency: charge.currency };
    }
    const session = await getObject(scope, "checkout_session", reference);
    const customer = await getObject(scope, "customer", session.customer);
    const invoice = session.invoice ? await getObject(scope, "invoice", session.invoice) : null;
    return {
      reference,
      purpose: session.mode,
      status: session.status,
      returnUrl: session.return_url,
      customer: toCustomer(customer),
      invoice: invoice ? toInvoice(invoice) : null,
      amount: invoice?.amount_remaining ?? null,
      currency: invoice?.currency ?? customer.currency,
    };
  });
}

/**
 * The customer completes 3-D Secure for a charge that required it: a new, on-session
 * charge succeeds (the first attempt stays on record as requires_action). Calling it
 * again returns the same result.
 */
export async function authenticate(ctx: SandboxContext, reference: string): Promise<PaymentOutcome> {
  return inTransaction(ctx, async (scope) => {
    const original = await getObject(scope, "charge", reference, { lock: true });
    if (original.authenticated_by) {
      const done = await getObject(scope, "charge", original.authenticated_by);
      return toOutcome({ charge: done, invoice: done.invoice ? await getObject(scope, "invoice", done.invoice) : null });
    }
    if (original.status !== "requires_action" || original.purpose === "out_of_band") {
      throw new ProviderError(`Charge '${reference}' does not need authentication.`, "sandbox", 400, false, null, "payment_intent_unexpected_state");
    }
    const customer = await getObject(scope, "customer", original.customer);
    const invoice = original.invoice ? await getObject(scope, "invoice", original.invoice, { lock: true }) : null;
    if (invoice) requireOpen(invoice);
    const amount = original.purpose === "invoice" && invoice ? invoice.amount_remaining : original.amount;
    checkAmount(amount, invoice);
    const result = await createCharge(scope, {
      customer,
      invoice,
      method: await methodFor(scope, customer, original.payment_method ?? undefined),
      amount,
      currency: original.currency,
      purpose: original.purpose,
      initiatedBy: "customer",
      idempotencyKey: null,
      description: original.description,
      authenticated: true,
    });
    await putObject(scope, { ...original, authenticated_by: result.charge.id });
    return toOutcome(result);
  });
}

export type FormResult = { mode: "setup" | "payment"; returnUrl: string; paymentMethod: ProviderPaymentMethod; outcome: PaymentOutcome | null };

/**
 * The customer submitted the sandbox form with a test card: the card is attached as the
 * default; in payment mode the invoice is charged on-session (a 3-D Secure card answers
 * requires_action with a reference for authenticate). A session completes once it saved a
 * card (setup) or paid (payment); a declined card leaves it open for another try.
 */
export async function completeSandboxForm(ctx: SandboxContext, reference: string, card: CardInput): Promise<FormResult> {
  return inTransaction(ctx, async (scope) => {
    const session = await getObject(scope, "checkout_session", reference, { lock: true });
    if (session.status === "complete") throw new ProviderError(`The form '${reference}' was already completed.`, "sandbox", 400, false, null, "checkout_session_complete");
    const invoice = session.invoice ? await getObject(scope, "invoice", session.invoice, { lock: true }) : null;
    if (session.mode === "payment" && invoice) requireOpen(invoice);
    const owner = await getObject(scope, "customer", session.customer, { lock: true });
    const { method, customer } = await attach(scope, owner, card, true);
    const paymentMethod = toPaymentMethod(method, customer);
    if (session.mode === "setup" || !invoice) {
      await putObject(scope, { ...session, status: "complete" as const, payment_method: method.id });
      return { mode: session.mode, returnUrl: session.return_url, paymentMethod, outcome: null };
    }
    const result = await createCharge(scope, {
      customer,
      invoice,
      method,
      amount: invoice.amount_remaining,
      currency: invoice.currency,
      purpose: "invoice",
      initiatedBy: "customer",
      idempotencyKey: null,
      description: invoice.description,
    });
    if (result.charge.status === "succeeded") await putObject(scope, { ...session, status: "complete" as const, payment_method: method.id });
    return { mode: session.mode, returnUrl: session.return_url, paymentMethod, outcome: toOutcome(result) };
  });
}
