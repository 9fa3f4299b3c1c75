import type Stripe from "stripe";
import type { ProviderPaymentMethod } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";
import { stripeCall, stripeFind } from "./client";
import { idOf } from "./map";
import type { StripeReader } from "./read";

type Deps = { stripe: Stripe; read: StripeReader };

/** Subscriptions that will invoice again: a card of their own would win over the customer's default. */
const LIVE_SUBSCRIPTION: ReadonlySet<Stripe.Subscription.Status> = new Set(["active", "trialing", "past_due", "unpaid"]);

/**
 * The customer confirmed a SetupIntent in the browser (Payment Element, 3-D Secure included).
 * The browser's word is not taken: the SetupIntent is read back by id and must belong to this
 * customer and have succeeded. Its card then becomes the default for invoices
 * (invoice_settings.default_payment_method) and for every live subscription, each call keyed
 * by the SetupIntent, so finishing twice changes nothing twice.
 */
export async function completePaymentMethodUpdate(deps: Deps, input: { customerExternalId: string; reference: string }): Promise<ProviderPaymentMethod> {
  const { stripe, read } = deps;
  const intent = /^seti_\w+$/.test(input.reference) ? await stripeFind(() => stripe.setupIntents.retrieve(input.reference)) : null;
  // Another customer's SetupIntent is answered exactly like one that does not exist.
  if (!intent || idOf(intent.customer) !== input.customerExternalId) throw new AppError("not_found", "No such card update for this customer.");
  if (intent.status !== "succeeded") {
    throw new AppError("invalid_input", `The card was not confirmed (the SetupIntent is ${intent.status}); nothing was changed.`, { status: intent.status });
  }
  const method = idOf(intent.payment_method);
  if (!method) throw new AppError("internal", `SetupIntent ${intent.id} succeeded without a payment method.`);

  const key = (what: string) => ({ idempotencyKey: `portal:card-default:${intent.id}:${what}` });
  await stripeCall(() => stripe.customers.update(input.customerExternalId, { invoice_settings: { default_payment_method: method } }, key("customer")));
  for (const subscription of await liveSubscriptions(stripe, input.customerExternalId)) {
    if (idOf(subscription.default_payment_method) === method) continue;
    await stripeCall(() => stripe.subscriptions.update(subscription.id, { default_payment_method: method }, key(subscription.id)));
  }
  const saved = await read.paymentMethod(method, input.customerExternalId);
  if (!saved) throw new AppError("internal", `Stripe has no payment method ${method} after SetupIntent ${intent.id} succeeded.`);
  return saved;
}

async function liveSubscriptions(stripe: Stripe, customer: string): Promise<Stripe.Subscription[]> {
  const live: Stripe.Subscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await stripeCall(() => stripe.subscriptions.list({ customer, status: "all", limit: 100, ...(cursor ? { starting_after: cursor } : {}) }));
    live.push(...page.data.filter((s) => LIVE_SUBSCRIPTION.has(s.status)));
    cursor = page.has_more ? page.data.at(-1)?.id : undefined;
  } while (cursor);
  return live;
}
