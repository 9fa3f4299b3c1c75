"use server";

import { z } from "zod";
import { portalAction, portalCustomerAction } from "@/lib/portal/guard";
import { finishStripeCardUpdate, finishStripePayment } from "@/lib/portal/stripe-element";

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
