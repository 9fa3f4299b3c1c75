import { applyNormalizedEvents } from "@/lib/billing/apply";
import type { PaymentOutcome, ProviderPaymentAttempt } from "@/lib/billing/types";
import type { DbOrTx } from "@/lib/db/client";
import { classifyAttempt } from "@/lib/dunning/classify";
import type { DeclineCategory } from "@/lib/dunning/types";

/**
 * Store what the provider answered to a charge at once (attempt and invoice), as the
 * engine's executors do, so the portal and the admin show it before the webhook confirms.
 * Listeners are not run here: the caller decides what the outcome means for the case, and
 * the webhook that follows finds the rows already current.
 */
export async function recordChargeOutcome(
  tx: DbOrTx,
  scope: { workspaceId: string; connectionId: string },
  outcome: PaymentOutcome,
  input: { now: Date; initiatedBy: ProviderPaymentAttempt["initiatedBy"]; idempotencyKey: string | null },
): Promise<void> {
  const attempt = outcome.attempt ? { ...outcome.attempt, initiatedBy: input.initiatedBy, idempotencyKey: input.idempotencyKey ?? outcome.attempt.idempotencyKey } : undefined;
  const type = outcome.status === "succeeded" ? "payment.succeeded" : outcome.status === "requires_action" ? "payment.action_required" : "payment.failed";
  await applyNormalizedEvents(tx, scope, [{ type, occurredAt: input.now, invoice: outcome.invoice ?? undefined, attempt }], []);
}

/** The decline category of a failed outcome (for the case and the customer's plain reason). */
export function categoryOfOutcome(outcome: PaymentOutcome, provider: "stripe" | "chargebee" | "sandbox"): DeclineCategory {
  if (outcome.status === "requires_action") return "authentication_required";
  const a = outcome.attempt;
  if (!a) return "soft";
  return classifyAttempt({ ...a, at: a.attemptedAt, provider }).category;
}
