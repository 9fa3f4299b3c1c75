import { eq } from "drizzle-orm";
import { customers, type DunningStep } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";
import { getEmailTransport } from "@/lib/email/transport";
import { formatMoney } from "@/lib/format";
import type { StepContext } from "./executors";

const subjects: Record<string, string> = {
  payment_failed: "Your payment didn't go through",
  reminder: "Reminder: your payment is still due",
  final_notice: "Final notice: your subscription is about to end",
  action_required: "Action required to complete your payment",
  card_expiring: "Your card is about to expire",
};

/**
 * The engine's message step. Plain text in English for now: the react-email templates,
 * localization, quiet hours and frequency caps of the messages issue replace the body and
 * add the send-time rules here. It sends through the configured transport (log/outbox or
 * Resend) with the step's idempotency key.
 */
export async function sendCaseMessage(db: Db, step: DunningStep, ctx: StepContext, idempotencyKey: string): Promise<{ sent: boolean; to?: string; reason?: string; providerId?: string | null }> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, ctx.c.customerId));
  if (!customer?.email) return { sent: false, reason: "the customer has no email address" };
  if (step.channel === "sms") return { sent: false, reason: "SMS is not configured" };
  const amount = formatMoney(ctx.invoice.amountRemaining, ctx.invoice.currency);
  const subject = subjects[step.template ?? ""] ?? "About your payment";
  const text = [
    `Hello${customer.name ? ` ${customer.name}` : ""},`,
    "",
    `We could not collect ${amount} for invoice ${ctx.invoice.number ?? ctx.invoice.externalId}.`,
    step.template === "action_required" ? "Your bank asks you to confirm this payment." : "Please update your payment method so your subscription continues.",
    ctx.invoice.hostedUrl ? `Pay here: ${ctx.invoice.hostedUrl}` : "",
  ]
    .filter((line, i, all) => line !== "" || all[i - 1] !== "")
    .join("\n");
  const result = await getEmailTransport().send({ to: customer.email, subject, text, html: `<pre>${escapeHtml(text)}</pre>`, idempotencyKey });
  return { sent: true, to: customer.email, providerId: result.providerId };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
