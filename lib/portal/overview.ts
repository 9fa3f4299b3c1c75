import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { dunningSteps, invoices, paymentAttempts, paymentMethods, portalRequests, type InstallmentPlan } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { isOwing, type PortalCase } from "./context";
import { reasonKeyOf } from "./declines";
import { livePlanOf, optionsFor } from "./installment-plans";
import { promiseWindow } from "./promise";

/**
 * What the overview shows, in the customer's words: what is owed (each open invoice), what
 * happened (the attempts in plain sentences), what happens next (the next retry from the
 * pending steps, and when service would be affected: the final action's date, for actions
 * that end or pause the subscription), and which choices the policy allows now.
 */

export type OverviewInvoice = { id: string; number: string | null; description: string | null; amountMinor: number; currency: string; dueAt: Date | null; issuedAt: Date; primary: boolean };

export type Overview = {
  state: "owing" | "paid" | "closed";
  invoices: OverviewInvoice[];
  card: string | null;
  history: string[];
  nextRetryAt: Date | null;
  serviceAffectedAt: Date | null;
  arrangement: { kind: "plan"; plan: InstallmentPlan } | { kind: "promise"; date: string } | { kind: "help" } | null;
  choices: { updateCard: boolean; payNow: boolean; installments: number | null; promise: { maxDays: number } | null; help: boolean };
};

const SERVICE_ACTIONS = new Set(["cancel_now", "cancel_at_period_end", "pause"]);

export async function loadOverview(db: DbOrTx, p: PortalCase): Promise<Overview> {
  const { text } = p;
  const now = p.clock.now();
  const owing = isOwing(p);
  const openInvoices = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.workspaceId, p.c.workspaceId), eq(invoices.customerId, p.customer.id), eq(invoices.status, "open")))
    .orderBy(asc(invoices.issuedAt));
  const list: OverviewInvoice[] = openInvoices
    .map((i) => ({ id: i.id, number: i.number, description: i.description, amountMinor: i.amountRemaining, currency: i.currency, dueAt: i.dueAt, issuedAt: i.issuedAt, primary: i.id === p.invoice.id }))
    .sort((a, b) => Number(b.primary) - Number(a.primary));

  const [methods, attempts, steps, plan, requests] = await Promise.all([
    db.select().from(paymentMethods).where(and(eq(paymentMethods.customerId, p.customer.id), eq(paymentMethods.workspaceId, p.c.workspaceId))),
    db.select().from(paymentAttempts).where(and(eq(paymentAttempts.invoiceId, p.invoice.id), eq(paymentAttempts.workspaceId, p.c.workspaceId))).orderBy(desc(paymentAttempts.attemptedAt)).limit(6),
    db.select().from(dunningSteps).where(and(eq(dunningSteps.caseId, p.c.id), eq(dunningSteps.status, "pending"))).orderBy(asc(dunningSteps.dueAt)),
    livePlanOf(db, p.c.workspaceId, p.c.id),
    db.select().from(portalRequests).where(and(eq(portalRequests.caseId, p.c.id), inArray(portalRequests.kind, ["promise", "help"]))),
  ]);
  const defaultCard = methods.find((m) => m.isDefault && m.status === "active");
  const cardOf = (externalId: string | null) => methods.find((m) => m.externalId === externalId);

  const history = attempts.map((a) => {
    const method = cardOf(a.paymentMethodExternalId);
    const card = text.card(method?.brand ?? a.cardBrand, method?.last4 ?? null);
    const date = text.date(a.attemptedAt);
    if (a.status === "succeeded") return text.t.attempt.paid(text.money(a.amount, a.currency), date);
    if (a.status === "requires_action") return card ? text.t.attempt.actionCard(card, date) : text.t.attempt.action(date);
    const reason = text.t.reason[reasonKeyOf(a, p.connection.provider)];
    return card ? text.t.attempt.declinedCard(card, date, reason) : text.t.attempt.declined(date, reason);
  });

  const promise = requests.find((r) => r.kind === "promise" && r.status === "open");
  const help = requests.find((r) => r.kind === "help" && r.status === "open");
  // One promise per case: a broken one is not offered again.
  const promisedBefore = requests.some((r) => r.kind === "promise");
  const activePlan = plan?.status === "active" ? plan : null;
  const arrangement: Overview["arrangement"] = activePlan ? { kind: "plan", plan: activePlan } : promise?.promisedFor ? { kind: "promise", date: promise.promisedFor } : help ? { kind: "help" } : null;
  const final = steps.find((s) => s.kind === "final_action");
  const rules = p.policy;
  const free = owing && p.c.status === "open";
  const window = promiseWindow(now, text.timeZone, rules.promiseToPay.maxDays);
  const options = free && !activePlan ? optionsFor(p) : [];

  return {
    state: owing ? "owing" : p.invoice.status === "paid" || p.c.status === "recovered" ? "paid" : "closed",
    invoices: owing ? list : [],
    card: defaultCard ? text.card(defaultCard.brand, defaultCard.last4) : null,
    history,
    nextRetryAt: steps.find((s) => (s.kind === "retry" || s.kind === "installment") && s.dueAt > now)?.dueAt ?? null,
    serviceAffectedAt: final && SERVICE_ACTIONS.has(final.finalAction ?? "") ? final.dueAt : null,
    arrangement,
    choices: {
      updateCard: owing,
      payNow: owing,
      installments: options.length ? Math.max(...options.map((o) => o.parts)) : null,
      promise: free && rules.promiseToPay.allowed && !promisedBefore && window.from <= window.to ? { maxDays: rules.promiseToPay.maxDays } : null,
      help: owing && !help,
    },
  };
}
