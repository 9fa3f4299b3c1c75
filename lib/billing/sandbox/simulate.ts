import { addMonths, addYears } from "date-fns";
import { z } from "zod";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation";
import { ProviderError } from "../errors";
import { closeInvoice } from "./operations";
import { attach, createCharge, methodFor, type CardInput } from "./payments";
import {
  findObject,
  fresh,
  getObject,
  inTransaction,
  nextNumber,
  putObject,
  recordEvent,
  unixSeconds,
  type SandboxCharge,
  type SandboxContext,
  type SandboxCustomer,
  type SandboxInvoice,
  type SandboxPaymentMethod,
  type SandboxScope,
  type SandboxSubscription,
} from "./store";

/**
 * The sandbox's "dashboard API": what a Stripe operator (or Stripe itself, at renewal) does
 * to the account. Tests, the demo seed and simulations drive the sandbox through it; every
 * change records the events Stripe would send. Each call is one transaction (a savepoint
 * when ctx.db is already a transaction).
 */

export type { CardInput, SandboxContext };


const currency = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, "must be a three-letter ISO 4217 code")
  .transform((c) => c.toLowerCase());
const minorUnits = z.number().int("must be in integer minor units").positive();

const customerInput = z.object({
  email: z.email(),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, "must be in E.164 form, such as +14155550100").nullish(),
  name: z.string().min(1),
  locale: z.string().nullish(),
  timezone: z.string().nullish(),
  country: z.string().length(2).nullish(),
  currency,
  metadata: z.record(z.string(), z.string()).optional(),
});
export type CreateCustomerInput = z.input<typeof customerInput> & { paymentMethod?: CardInput };

export async function createCustomer(ctx: SandboxContext, input: CreateCustomerInput): Promise<SandboxCustomer> {
  const values = parseInput(customerInput, input);
  return inTransaction(ctx, async (scope) => {
    let customer = await putObject<SandboxCustomer>(scope, {
      ...fresh(scope, newId("cus")),
      object: "customer",
      email: values.email,
      phone: values.phone ?? null,
      name: values.name,
      locale: values.locale ?? null,
      timezone: values.timezone ?? null,
      country: values.country?.toUpperCase() ?? null,
      currency: values.currency,
      default_payment_method: null,
      delinquent: false,
      metadata: values.metadata ?? {},
    });
    await recordEvent(scope, "customer.created", customer);
    if (input.paymentMethod) customer = (await attach(scope, customer, input.paymentMethod, true)).customer;
    return customer;
  });
}

/** Attach a test card; it becomes the default when asked to, or when the customer has none. */
export async function attachPaymentMethod(ctx: SandboxContext, customerId: string, card: CardInput, options: { makeDefault?: boolean } = {}): Promise<SandboxPaymentMethod> {
  return inTransaction(ctx, async (scope) => {
    const customer = await getObject(scope, "customer", customerId, { lock: true });
    return (await attach(scope, customer, card, options.makeDefault ?? customer.default_payment_method === null)).method;
  });
}

export async function detachPaymentMethod(ctx: SandboxContext, paymentMethodId: string): Promise<SandboxPaymentMethod> {
  return inTransaction(ctx, async (scope) => {
    const method = await getObject(scope, "payment_method", paymentMethodId, { lock: true });
    if (method.status === "detached") return method;
    const detached = await putObject(scope, { ...method, status: "detached" as const });
    await recordEvent(scope, "payment_method.detached", detached);
    const customer = await getObject(scope, "customer", method.customer);
    if (customer.default_payment_method === method.id) await recordEvent(scope, "customer.updated", await putObject(scope, { ...customer, default_payment_method: null }));
    return detached;
  });
}

/** The card account updater: the issuer sent a new expiry for the same card. */
export async function updateCardExpiry(ctx: SandboxContext, paymentMethodId: string, expiry: { expMonth: number; expYear: number }): Promise<SandboxPaymentMethod> {
  return inTransaction(ctx, async (scope) => {
    const method = await getObject(scope, "payment_method", paymentMethodId, { lock: true });
    const updated = await putObject(scope, { ...method, card: { ...method.card, exp_month: expiry.expMonth, exp_year: expiry.expYear } });
    await recordEvent(scope, "payment_method.updated", updated);
    return updated;
  });
}

const subscriptionInput = z.object({
  customerId: z.string().min(1),
  planName: z.string().min(1),
  amount: minorUnits,
  currency,
  interval: z.enum(["month", "year"]),
  /** Backdate the start (the first period begins here); now by default. */
  startAt: z.date().optional(),
});

const periodEnd = (start: Date, interval: "month" | "year") => (interval === "year" ? addYears(start, 1) : addMonths(start, 1));

/** Starts active (now, or at startAt), as if its first invoice were paid; renewSubscription bills the next period. */
export async function createSubscription(ctx: SandboxContext, input: z.input<typeof subscriptionInput>): Promise<SandboxSubscription> {
  const values = parseInput(subscriptionInput, input);
  return inTransaction(ctx, async (scope) => {
    const customer = await getObject(scope, "customer", values.customerId);
    const start = values.startAt ?? scope.now;
    const subscription = await putObject<SandboxSubscription>(scope, {
      ...fresh(scope, newId("sub")),
      object: "subscription",
      customer: customer.id,
      status: "active",
      plan: { name: values.planName, amount: values.amount, currency: values.currency, interval: values.interval },
      current_period_start: unixSeconds(start),
      current_period_end: unixSeconds(periodEnd(start, values.interval)),
      cancel_at_period_end: false,
      canceled_at: null,
      start_date: unixSeconds(start),
      latest_invoice: null,
    });
    await recordEvent(scope, "customer.subscription.created", subscription);
    return subscription;
  });
}

export type Renewal = { subscription: SandboxSubscription; invoice: SandboxInvoice | null; charge: SandboxCharge | null };

/**
 * The period ends: a subscription set to cancel at period end is canceled; otherwise the
 * next period is invoiced and charged off-session with the default card, as Stripe does
 * (subscription.updated, invoice.created, invoice.finalized, then the payment's events).
 */
export async function renewSubscription(ctx: SandboxContext, subscriptionId: string): Promise<Renewal> {
  return inTransaction(ctx, async (scope) => {
    const current = await getObject(scope, "subscription", subscriptionId, { lock: true });
    if (current.status === "canceled" || current.status === "paused") {
      throw new ProviderError(`Subscription '${current.id}' is ${current.status}; it does not renew.`, "sandbox", 400, false, null, "subscription_not_active");
    }
    if (current.cancel_at_period_end) {
      const canceled = await putObject(scope, { ...current, status: "canceled" as const, canceled_at: unixSeconds(scope.now) });
      await recordEvent(scope, "customer.subscription.deleted", canceled);
      return { subscription: canceled, invoice: null, charge: null };
    }
    const start = new Date(current.current_period_end * 1000);
    const end = periodEnd(start, current.plan.interval);
    const invoiceId = newId("in");
    const subscription = await putObject(scope, { ...current, current_period_start: unixSeconds(start), current_period_end: unixSeconds(end), latest_invoice: invoiceId });
    await recordEvent(scope, "customer.subscription.updated", subscription);

    const draft = await putObject<SandboxInvoice>(scope, {
      ...fresh(scope, invoiceId),
      object: "invoice",
      customer: subscription.customer,
      subscription: subscription.id,
      number: `SBX-${String(await nextNumber(scope, "invoice")).padStart(4, "0")}`,
      description: `${subscription.plan.name} (${start.toISOString().slice(0, 10)} – ${end.toISOString().slice(0, 10)})`,
      status: "draft",
      amount_due: subscription.plan.amount,
      amount_paid: 0,
      amount_remaining: subscription.plan.amount,
      currency: subscription.plan.currency,
      attempt_count: 0,
      charge: null,
      period_start: unixSeconds(start),
      period_end: unixSeconds(end),
      due_date: null,
      paid_at: null,
    });
    await recordEvent(scope, "invoice.created", draft);
    const open = await putObject(scope, { ...draft, status: "open" as const });
    await recordEvent(scope, "invoice.finalized", open);

    const customer = await getObject(scope, "customer", subscription.customer);
    const method = await methodFor(scope, customer, undefined);
    const result = await createCharge(scope, {
      customer,
      invoice: open,
      method,
      amount: open.amount_remaining,
      currency: open.currency,
      purpose: "invoice",
      initiatedBy: "provider",
      idempotencyKey: null,
      description: open.description,
    });
    return { subscription: await getObject(scope, "subscription", subscription.id), invoice: result.invoice, charge: result.charge };
  });
}

export async function voidInvoice(ctx: SandboxContext, invoiceId: string): Promise<SandboxInvoice> {
  return inTransaction(ctx, (scope) => closeInvoice(scope, invoiceId, "void"));
}

export { authenticate, completeSandboxForm, describeSandboxForm } from "./forms";
