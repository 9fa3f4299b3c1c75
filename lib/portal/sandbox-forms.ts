import { isProviderError } from "@/lib/billing/errors";
import { authenticate, completeSandboxForm, describeSandboxForm, type CardInput } from "@/lib/billing/sandbox/simulate";
import type { SandboxFormView } from "@/lib/billing/sandbox/forms";
import { testCards } from "@/lib/billing/sandbox/test-cards";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { PortalCase, PortalCustomer } from "./context";
import { applyFirstPartOutcome, planAwaiting } from "./installment-plans";
import { categoryOfOutcome } from "./record-payment";
import { settleSandbox } from "./settle";

/**
 * The sandbox's "hosted card form", rendered by the portal: the customer picks a documented
 * test token (never a number), the sandbox attaches it or charges it, and the outcome comes
 * in through the webhook path (settleSandbox). A reference is only ever shown to the
 * customer it belongs to.
 */

/** The test cards the form offers, with their labels and what they do. */
export const sandboxTestCards = testCards.map((c) => ({ token: c.token, label: `${c.label} (•••• ${c.last4})`, description: c.description }));

export type FormSubmission =
  | { kind: "card_saved" }
  | { kind: "paid" }
  | { kind: "declined"; category: string }
  | { kind: "authenticate"; reference: string }
  | { kind: "plan_active" }
  | { kind: "plan_declined"; category: string };

/** The sandbox account of the case's connection, on the workspace's clock (test clocks apply). */
const sandboxOf = (db: Db, p: PortalCustomer) => ({ db, connectionId: p.connection.id, clock: p.clock });

/** The form behind a reference, when it exists and belongs to the session's customer; else null. */
export async function describeForm(db: Db, p: PortalCustomer, reference: string): Promise<SandboxFormView | null> {
  if (p.connection.provider !== "sandbox" || !/^(cs|ch)_[a-z0-9]+$/.test(reference)) return null;
  try {
    const view = await describeSandboxForm(sandboxOf(db, p), reference);
    return view.customer.externalId === p.customer.externalId ? view : null;
  } catch (error) {
    if (isProviderError(error)) return null;
    throw error;
  }
}

const settle = (db: Db, p: PortalCustomer) => settleSandbox(db, { connection: p.connection, workspaceId: p.workspace.id, customerId: p.customer.id, base: p.base });

/** A card session (no case) only ever has card forms; a payment form needs the case's session. */
export async function submitTestCard(db: Db, p: PortalCustomer, reference: string, token: string): Promise<FormSubmission> {
  const view = await describeForm(db, p, reference);
  if (!view || view.purpose === "authenticate") throw new AppError("not_found", "No such form.");
  if (!testCards.some((c) => c.token === token)) throw new AppError("invalid_input", "token: choose one of the test cards.");
  const result = await completeSandboxForm(sandboxOf(db, p), reference, token as CardInput);
  await settle(db, p);
  if (result.mode === "setup" || !result.outcome) return { kind: "card_saved" };
  const outcome = result.outcome;
  if (outcome.status === "succeeded") return { kind: "paid" };
  if (outcome.status === "requires_action" && outcome.action?.kind === "sandbox_form") return { kind: "authenticate", reference: outcome.action.reference };
  return { kind: "declined", category: categoryOfOutcome(outcome, "sandbox") };
}

/** The customer passed 3-D Secure: a pay-now is paid, or a plan's first part is, which starts the plan. */
export async function submitAuthentication(db: Db, p: PortalCase, reference: string): Promise<FormSubmission> {
  const view = await describeForm(db, p, reference);
  if (!view || view.purpose !== "authenticate") throw new AppError("not_found", "No such form.");
  const plan = await planAwaiting(db, p, reference);
  const outcome = await authenticate(sandboxOf(db, p), reference);
  if (plan) {
    const choice = await applyFirstPartOutcome(db, p, plan, outcome);
    await settle(db, p);
    return choice.status === "active" ? { kind: "plan_active" } : { kind: "plan_declined", category: categoryOfOutcome(outcome, "sandbox") };
  }
  await settle(db, p);
  return outcome.status === "succeeded" ? { kind: "paid" } : { kind: "declined", category: categoryOfOutcome(outcome, "sandbox") };
}
