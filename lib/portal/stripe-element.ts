import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { invoices, type Connection, type Customer, type Invoice } from "@/drizzle/schema";
import { applyNormalizedEvents } from "@/lib/billing/apply";
import { providerFor } from "@/lib/billing/providers";
import type { NormalizedEvent, ProviderPaymentMethod } from "@/lib/billing/types";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { dunningListener } from "@/lib/dunning/listener";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { runCustomerDueSteps } from "./settle";

/**
 * Update card and pay now on Stripe: the Payment Element on the portal's own page
 * (`/portal/stripe`), 3-D Secure inside Stripe.js, then a finish step on the server that
 * reads the result back from Stripe by id — never from the browser — and brings it in
 * through the same functions the webhook runs, so the portal shows it at once and the
 * webhook that follows finds everything current.
 */

/** What these functions need of a portal session; a case session and a card link's both have it. */
export type PaymentScope = {
  workspace: { id: string };
  customer: Pick<Customer, "id" | "externalId">;
  connection: Connection;
  /** The workspace's clock, and the base it was derived from (test clocks apply). */
  clock: Clock;
  base: Clock;
};

export type StripeElementTarget = { for: "card" } | { for: "pay"; invoice: Pick<Invoice, "id" | "externalId" | "amountRemaining"> };

export type StripeElement =
  | { kind: "ready"; intent: "setup" | "payment"; clientSecret: string; publishableKey: string; returnUrl: string }
  | { kind: "unavailable" };

/** Stripe.js needs the account's publishable key; without it the portal has no card form. */
export const hasStripeElement = (connection: Pick<Connection, "provider" | "settings">): boolean =>
  connection.provider === "stripe" && Boolean(connection.settings.publishableKey);

export const stripeElementPath = (target: { for: "card" } | { for: "pay"; invoice: Pick<Invoice, "id"> }): string =>
  target.for === "card" ? "/portal/stripe?for=card" : `/portal/stripe?for=pay&invoice=${encodeURIComponent(target.invoice.id)}`;

/**
 * The intent the page's Payment Element confirms. A card update gets a new SetupIntent per
 * visit (a confirmed one cannot be used again); pay now uses the invoice's own payment, or one
 * PaymentIntent per invoice and balance (the key), so reloading the page attaches nothing twice.
 */
export async function startStripeElement(db: Db, scope: PaymentScope, target: StripeElementTarget): Promise<StripeElement> {
  if (!hasStripeElement(scope.connection)) return { kind: "unavailable" };
  const provider = providerFor(db, scope.connection, scope.clock);
  const returnUrl = `${getEnv().appUrl}/portal/return`;
  const action =
    target.for === "card"
      ? await provider.startPaymentMethodUpdate({ customerExternalId: scope.customer.externalId, returnUrl, idempotencyKey: `portal:card:${scope.customer.id}:${randomBytes(6).toString("hex")}` })
      : await provider.startPayNow({ invoiceExternalId: target.invoice.externalId, returnUrl, idempotencyKey: `portal:pay:${target.invoice.id}:${target.invoice.amountRemaining}` });
  if (action.kind !== "stripe_payment_element" || !action.publishableKey) return { kind: "unavailable" };
  return { kind: "ready", intent: action.intent, clientSecret: action.clientSecret, publishableKey: action.publishableKey, returnUrl };
}

const scopeIds = (scope: PaymentScope) => ({ workspaceId: scope.workspace.id, connectionId: scope.connection.id });

/**
 * The customer confirmed a SetupIntent: the provider checks it is theirs and succeeded and
 * makes the card the default (customer and subscriptions). Then, as the webhook would, the new
 * default is stored and the listener schedules its one immediate retry on each open case, and
 * the customer's due steps run now — the result page reads what happened.
 */
export async function finishStripeCardUpdate(db: Db, scope: PaymentScope, setupIntentId: string): Promise<ProviderPaymentMethod> {
  const provider = providerFor(db, scope.connection, scope.clock);
  if (!provider.completePaymentMethodUpdate) throw new AppError("not_found", "This provider saves cards on its own page.");
  const method = await provider.completePaymentMethodUpdate({ customerExternalId: scope.customer.externalId, reference: setupIntentId });
  const event: NormalizedEvent = { type: "payment_method.updated", occurredAt: scope.clock.now(), paymentMethod: method };
  // The dunning listener is the one of the webhook path that reacts to a new default card (process.ts).
  // Its retry is keyed by card and expiry, so a second submit (or the webhook first) schedules none.
  await db.transaction((tx) => applyNormalizedEvents(tx, scopeIds(scope), [event], [dunningListener], { clock: scope.base }));
  await runCustomerDueSteps(db, scope.workspace.id, scope.customer.id, scope.base);
  return method;
}

/**
 * Stripe.js says the payment went through; Stripe's invoice says whether it did. The invoice
 * (one of this customer's) is read back and stored as the webhook would store it: paid closes
 * the case at once; anything else changes nothing, and the webhook confirms later.
 */
export async function finishStripePayment(db: Db, scope: PaymentScope, invoiceId: string): Promise<{ paid: boolean }> {
  const [invoice] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.workspaceId, scope.workspace.id), eq(invoices.connectionId, scope.connection.id), eq(invoices.customerId, scope.customer.id)));
  if (!invoice || scope.connection.provider !== "stripe") throw new AppError("not_found", "No such invoice.");
  const fresh = await providerFor(db, scope.connection, scope.clock).getInvoice(invoice.externalId);
  if (fresh.customerExternalId !== scope.customer.externalId) throw new AppError("not_found", "No such invoice.");
  const paid = fresh.status === "paid";
  const event: NormalizedEvent = { type: paid ? "invoice.paid" : "invoice.updated", occurredAt: scope.clock.now(), invoice: fresh };
  await db.transaction((tx) => applyNormalizedEvents(tx, scopeIds(scope), [event], [dunningListener], { clock: scope.base }));
  return { paid };
}
