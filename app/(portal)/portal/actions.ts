"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestFreshLink } from "@/lib/portal/fresh-link";
import { hasCase, portalAction, portalCustomerAction } from "@/lib/portal/guard";
import { helpTopics, requestHelp } from "@/lib/portal/help";
import { chooseInstallmentPlan } from "@/lib/portal/installment-plans";
import { startCardUpdate, startPayNow, type PortalStart } from "@/lib/portal/payments";
import { promiseToPay } from "@/lib/portal/promise";
import { submitAuthentication, submitTestCard, type FormSubmission } from "@/lib/portal/sandbox-forms";
import { stripeInstallmentPath } from "@/lib/portal/stripe-installments";
import { EXPIRED_LINK_COOKIE } from "./l/[token]/cookie";

const where = (start: PortalStart) => (start.kind === "sandbox_form" ? `/portal/sandbox/${start.reference}` : start.kind === "redirect" ? start.url : "/portal/result?after=unavailable");

function afterForm(reference: string, result: FormSubmission): string {
  switch (result.kind) {
    case "card_saved":
      return "/portal/result?after=card";
    case "paid":
      return "/portal/result?after=pay";
    case "declined":
      return `/portal/sandbox/${reference}?declined=${result.category}`;
    case "authenticate":
      return `/portal/sandbox/${result.reference}`;
    case "plan_active":
      return "/portal/installments";
    case "plan_declined":
      return `/portal/installments?declined=${result.category}`;
  }
}

const reference = z.string().regex(/^(cs|ch)_[a-z0-9]+$/, "is not a form reference");

/** A case session or a card link's session: the back page is the one each shows its card on. */
export const updateCardAction = portalCustomerAction(z.object({}), (p) => (hasCase(p) ? "/portal" : "/portal/update-card"), async (_input, p, db) => where(await startCardUpdate(db, p)));

export const payNowAction = portalAction(z.object({ invoice: z.string().max(64).optional() }), "/portal", async ({ invoice }, p, db) => where(await startPayNow(db, p, invoice)));

export const testCardAction = portalCustomerAction(z.object({ reference, token: z.string().min(1).max(64) }), "/portal", async (input, p, db) =>
  afterForm(input.reference, await submitTestCard(db, p, input.reference, input.token)),
);

export const authenticateAction = portalAction(z.object({ reference }), "/portal", async (input, p, db) => {
  const result = await submitAuthentication(db, p, input.reference);
  return result.kind === "declined" ? `/portal/result?after=pay&declined=${result.category}` : afterForm(input.reference, result);
});

export const installmentsAction = portalAction(z.object({ parts: z.coerce.number().int().min(2).max(12) }), "/portal/installments", async ({ parts }, p, db) => {
  const choice = await chooseInstallmentPlan(db, p, parts);
  if (choice.status === "active") return "/portal/installments";
  if (choice.status === "declined") return `/portal/installments?declined=${choice.category}`;
  if (p.connection.provider === "stripe") return choice.reference ? stripeInstallmentPath(choice.plan.id) : "/portal/result?after=unavailable";
  return choice.reference ? `/portal/sandbox/${choice.reference}` : "/portal/result?after=unavailable";
});

export const promiseAction = portalAction(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date") }), "/portal/promise", async ({ date }, p, db) => {
  await promiseToPay(db, p, date);
  return "/portal/promise";
});

export const helpAction = portalAction(
  z.object({ topic: z.enum(helpTopics), message: z.string().max(2000).optional() }),
  "/portal/help",
  async (input, p, db) => {
    await requestHelp(db, p, { topic: input.topic, message: input.message ?? null });
    return "/portal/help";
  },
);

/** The expired-link form: whatever happens, the same answer (see requestFreshLink). */
export async function freshLinkAction(formData: FormData): Promise<void> {
  const token = (await cookies()).get(EXPIRED_LINK_COOKIE)?.value;
  const email = String(formData.get("email") ?? "").slice(0, 320);
  if (token && email) await requestFreshLink(await getDb(), token, email).catch(() => "invalid");
  redirect("/portal/expired?sent=1");
}
