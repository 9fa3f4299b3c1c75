import { newId } from "@/lib/ids";
import { ProviderError } from "../errors";
import { afterInvoiceClosed, requireOpen } from "./payments";
import { fresh, getObject, putObject, recordEvent, unixSeconds, type SandboxCharge, type SandboxInvoice, type SandboxScope, type SandboxSubscription } from "./store";

/**
 * The operator-side changes Dunwell asks of the sandbox (through the provider interface)
 * or a test asks of it (through simulate.ts). Each runs inside the caller's transaction;
 * asking for the state an object is already in changes nothing and emits nothing.
 */

export async function closeInvoice(scope: SandboxScope, invoiceId: string, status: "void" | "uncollectible"): Promise<SandboxInvoice> {
  const invoice = await getObject(scope, "invoice", invoiceId, { lock: true });
  if (invoice.status === status) return invoice;
  requireOpen(invoice);
  const closed = await putObject(scope, { ...invoice, status });
  await recordEvent(scope, status === "void" ? "invoice.voided" : "invoice.marked_uncollectible", closed);
  await afterInvoiceClosed(scope, closed);
  return closed;
}

/**
 * Money received outside the card network (a bank transfer, a cheque): like Stripe's
 * paid_out_of_band, without an issuer in the loop, so no charge events — only the invoice's.
 */
export async function recordOutOfBand(scope: SandboxScope, input: { invoiceId: string; amount?: number; note: string; idempotencyKey: string }): Promise<SandboxInvoice> {
  const invoice = await getObject(scope, "invoice", input.invoiceId, { lock: true });
  requireOpen(invoice);
  const amount = input.amount ?? invoice.amount_remaining;
  checkAmount(amount, invoice);
  await putObject<SandboxCharge>(scope, {
    ...fresh(scope, newId("ch")),
    object: "charge",
    payment_intent: newId("pi"),
    purpose: "out_of_band",
    customer: invoice.customer,
    invoice: invoice.id,
    payment_method: null,
    card: null,
    amount,
    currency: invoice.currency,
    status: "succeeded",
    failure_code: null,
    failure_message: null,
    decline_code: null,
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    initiated_by: "dunwell",
    idempotency_key: input.idempotencyKey,
    description: input.note,
    authenticated_by: null,
  });
  const remaining = invoice.amount_remaining - amount;
  const updated = await putObject(scope, {
    ...invoice,
    amount_paid: invoice.amount_paid + amount,
    amount_remaining: remaining,
    ...(remaining === 0 ? { status: "paid" as const, paid_at: unixSeconds(scope.now) } : {}),
  });
  if (updated.status === "paid") {
    await recordEvent(scope, "invoice.paid", updated);
    await afterInvoiceClosed(scope, updated);
  } else {
    await recordEvent(scope, "invoice.updated", updated);
  }
  return updated;
}

/** An amount must be positive whole minor units and no more than what is still owed. */
export function checkAmount(amount: number, invoice: SandboxInvoice | null): void {
  if (!Number.isInteger(amount) || amount <= 0) throw new ProviderError(`Amount must be a positive integer in minor units, got ${amount}.`, "sandbox", 400, false, null, "amount_invalid");
  if (invoice && amount > invoice.amount_remaining) {
    throw new ProviderError(`Amount ${amount} is more than the ${invoice.amount_remaining} still owed on invoice '${invoice.id}'.`, "sandbox", 400, false, null, "amount_too_large");
  }
}

export async function cancel(scope: SandboxScope, subscriptionId: string, atPeriodEnd: boolean): Promise<SandboxSubscription> {
  const subscription = await getObject(scope, "subscription", subscriptionId, { lock: true });
  if (subscription.status === "canceled") return subscription;
  if (atPeriodEnd) {
    if (subscription.cancel_at_period_end) return subscription;
    const updated = await putObject(scope, { ...subscription, cancel_at_period_end: true });
    await recordEvent(scope, "customer.subscription.updated", updated);
    return updated;
  }
  const canceled = await putObject(scope, { ...subscription, status: "canceled" as const, canceled_at: unixSeconds(scope.now) });
  await recordEvent(scope, "customer.subscription.deleted", canceled);
  return canceled;
}

export async function pause(scope: SandboxScope, subscriptionId: string): Promise<SandboxSubscription> {
  const subscription = await getObject(scope, "subscription", subscriptionId, { lock: true });
  if (subscription.status === "paused") return subscription;
  if (subscription.status === "canceled") throw new ProviderError(`Subscription '${subscription.id}' is canceled; it cannot be paused.`, "sandbox", 400, false, null, "subscription_canceled");
  const paused = await putObject(scope, { ...subscription, status: "paused" as const });
  await recordEvent(scope, "customer.subscription.paused", paused);
  return paused;
}
