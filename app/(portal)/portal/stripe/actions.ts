"use server";

import { z } from "zod";
import { portalAction, portalCustomerAction } from "@/lib/portal/guard";
import { finishStripeCardUpdate, finishStripePayment } from "@/lib/portal/stripe-element";
import { finishStripeInstallment, stripeInstallmentPath } from "@/lib/portal/stripe-installments";

/**
 * What the Stripe page's form calls once Stripe.js confirmed: the ids it sends are only
 * references; lib re-reads them from Stripe and checks they are this customer's.
 */

const setupIntent = z.string().regex(/^seti_\w+$/, "is not a SetupIntent");

/** A case session or a card link's: both may update the card. */
export const finishStripeCardAction = portalCustomerAction(z.object({ reference: setupIntent }), "/portal/stripe?for=card", async ({ reference }, p, db) => {
  await finishStripeCardUpdate(db, p, reference);
  return "/portal/result?after=card";
});

/** The payment happened at Stripe whatever this step says: on an error the result page waits for the webhook. */
export const finishStripePaymentAction = portalAction(z.object({ invoice: z.string().min(1).max(64) }), "/portal/result?after=pay", async ({ invoice }, p, db) => {
  await finishStripePayment(db, p, invoice);
  return "/portal/result?after=pay";
});

/** The bank confirmed the first part of a plan (Stripe.js says so; lib asks Stripe). Not confirmed after all: back to the page, which says so. */
export const finishStripeInstallmentAction = portalAction(z.object({ plan: z.string().min(1).max(64) }), "/portal/installments", async ({ plan }, p, db) => {
  const choice = await finishStripeInstallment(db, p, plan);
  if (choice.status === "requires_action") return `${stripeInstallmentPath(plan)}&error=invalid_input`;
  return choice.status === "declined" ? `/portal/installments?declined=${choice.category}` : "/portal/installments";
});
