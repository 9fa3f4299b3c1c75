import { and, eq } from "drizzle-orm";
import { installmentPlans, type InstallmentPart, type InstallmentPlan } from "@/drizzle/schema";
import { providerFor } from "@/lib/billing/providers";
import type { PaymentOutcome } from "@/lib/billing/types";
import type { Db, DbOrTx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { PortalCase } from "./context";
import { applyFirstPartOutcome, firstPartKey, type PlanChoice } from "./installment-plans";
import { hasStripeElement } from "./stripe-element";

/**
 * An installment plan's first part that needs 3-D Secure on Stripe. Charged off-session, its
 * PaymentIntent waits for the customer (the part's actionReference is its `pi_…`); the portal's
 * Stripe page re-reads it and Stripe.js finishes it with the saved card, no Payment Element.
 * The finish reads the intent back from Stripe — never the browser's word — and applies it as
 * the first charge would have been applied: paid activates the plan, declined fails it.
 */

export const stripeInstallmentPath = (planId: string) => `/portal/stripe?for=installment&plan=${encodeURIComponent(planId)}`;

export type StripeInstallment =
  /** Stripe.js confirms `clientSecret`: handleNextAction while it requires an action, else on-session with `paymentMethod`. */
  | { kind: "ready"; plan: InstallmentPlan; first: InstallmentPart; clientSecret: string; publishableKey: string; paymentMethod: string | null; returnUrl: string }
  /** The intent no longer waits for the customer (confirmed, or it failed): the finish step applies it. */
  | { kind: "settled"; plan: InstallmentPlan; first: InstallmentPart }
  | { kind: "unavailable" };

/** The session case's pending plan whose first part waits for a Stripe PaymentIntent; another case's or customer's is not found. */
async function awaitingPlan(db: DbOrTx, p: PortalCase, planId: string): Promise<{ plan: InstallmentPlan; reference: string } | null> {
  const [plan] = await db
    .select()
    .from(installmentPlans)
    .where(and(eq(installmentPlans.id, planId), eq(installmentPlans.workspaceId, p.c.workspaceId), eq(installmentPlans.caseId, p.c.id), eq(installmentPlans.customerId, p.customer.id)));
  if (!plan) throw new AppError("not_found", "No such installment plan.");
  const first = plan.parts[0];
  if (plan.status !== "pending" || first?.status !== "requires_action" || !first.actionReference?.startsWith("pi_")) return null;
  return { plan, reference: first.actionReference };
}

async function readFirstPart(db: Db, p: PortalCase, plan: InstallmentPlan, reference: string): Promise<PaymentOutcome> {
  const provider = providerFor(db, p.connection, p.clock);
  if (!provider.readPaymentOutcome) throw new AppError("not_found", "This provider confirms payments on its own pages.");
  return provider.readPaymentOutcome({ customerExternalId: p.customer.externalId, invoiceExternalId: p.invoice.externalId, reference, idempotencyKey: firstPartKey(plan.id) });
}

/** What the page needs to let the customer confirm the first part with their bank. */
export async function startStripeInstallment(db: Db, p: PortalCase, planId: string): Promise<StripeInstallment> {
  if (!hasStripeElement(p.connection)) return { kind: "unavailable" };
  const awaiting = await awaitingPlan(db, p, planId);
  if (!awaiting) throw new AppError("conflict", "This plan does not wait for a confirmation.");
  const { plan, reference } = awaiting;
  const outcome = await readFirstPart(db, p, plan, reference);
  const first = plan.parts[0]!;
  if (outcome.status !== "requires_action") return { kind: "settled", plan, first };
  const action = outcome.action;
  if (action?.kind !== "stripe_payment_element" || !action.publishableKey) return { kind: "unavailable" };
  // A challenge Stripe started (requires_action) is handled as is; one refused off-session, or failed once, is confirmed again with the same card.
  const paymentMethod = outcome.attempt?.paymentMethodExternalId ?? null;
  return { kind: "ready", plan, first, clientSecret: action.clientSecret, publishableKey: action.publishableKey, paymentMethod, returnUrl: `${getEnv().appUrl}/portal/return` };
}

/**
 * The customer's browser says the bank confirmed; Stripe says what happened. Still waiting for
 * the customer, or processing: nothing changes, the plan stays pending.
 * Finishing an already active plan again changes nothing either.
 */
export async function finishStripeInstallment(db: Db, p: PortalCase, planId: string): Promise<PlanChoice | { status: "pending"; plan: InstallmentPlan }> {
  const awaiting = await awaitingPlan(db, p, planId);
  if (!awaiting) {
    const [plan] = await db.select().from(installmentPlans).where(and(eq(installmentPlans.id, planId), eq(installmentPlans.caseId, p.c.id)));
    if (plan?.status === "active") return { status: "active", plan };
    throw new AppError("conflict", "This plan does not wait for a confirmation.");
  }
  const outcome = await readFirstPart(db, p, awaiting.plan, awaiting.reference);
  if (outcome.status === "requires_action") return { status: "requires_action", plan: awaiting.plan, reference: awaiting.reference };
  if (outcome.status === "pending") return { status: "pending", plan: awaiting.plan };
  return applyFirstPartOutcome(db, p, awaiting.plan, outcome);
}
