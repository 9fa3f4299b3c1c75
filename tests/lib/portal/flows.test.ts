import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, dunningCases } from "@/drizzle/schema";
import { loadOverview } from "@/lib/portal/overview";
import { startCardUpdate, startPayNow } from "@/lib/portal/payments";
import { resultAfterCardUpdate, resultAfterPayment } from "@/lib/portal/results";
import { describeForm, submitAuthentication, submitTestCard } from "@/lib/portal/sandbox-forms";
import { makeSimulation, portalCaseOf, type Sim } from "./helpers";

async function formFor(sim: Sim, caseId: string, what: "card" | "pay"): Promise<string> {
  const p = await portalCaseOf(sim, caseId);
  const start = what === "card" ? await startCardUpdate(sim.db, p) : await startPayNow(sim.db, p);
  if (start.kind !== "sandbox_form") throw new Error(`expected the sandbox form, got ${start.kind}`);
  return start.reference;
}

describe("the portal on the sandbox provider", () => {
  it("overview: what is owed, the attempt in plain words, the next retry and when service is affected, localized", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds", 4900);
    const o = await loadOverview(sim.db, await portalCaseOf(sim, caseId!));
    expect(o.state).toBe("owing");
    expect(o.invoices).toEqual([expect.objectContaining({ amountMinor: 4900, currency: "eur", primary: true })]);
    expect(o.history).toEqual(["Your Visa ending 9995 was declined on March 2, 2026: insufficient funds."]);
    expect(o.card).toBe("Visa ending 9995");
    expect(o.nextRetryAt).not.toBeNull();
    expect(o.serviceAffectedAt).toEqual((await sim.stepsOf(caseId!)).find((s) => s.kind === "final_action")!.dueAt);
    expect(o.choices).toEqual({ updateCard: true, payNow: true, installments: 3, promise: { maxDays: 14 }, help: true });

    const [c] = await sim.db.select().from(dunningCases).where(eq(dunningCases.id, caseId!));
    await sim.db.update(customers).set({ locale: "de-DE" }).where(eq(customers.id, c!.customerId));
    const german = await portalCaseOf(sim, caseId!);
    expect((await loadOverview(sim.db, german)).history).toEqual(["Ihre Visa mit Endziffern 9995 wurde am 2. März 2026 abgelehnt: keine ausreichende Deckung."]);
    expect(german.text.money(4900, "eur")).toBe("49,00\u00a0€");
  });

  it("update card with tok_visa: the card-update retry runs at once through the webhook path and the case is recovered", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    const reference = await formFor(sim, caseId!, "card");
    const view = await describeForm(sim.db, await portalCaseOf(sim, caseId!), reference);
    expect(view).toMatchObject({ purpose: "setup", status: "open" });

    expect(await submitTestCard(sim.db, await portalCaseOf(sim, caseId!), reference, "tok_visa")).toEqual({ kind: "card_saved" });
    const closed = await sim.caseOf(caseId!);
    expect(closed).toMatchObject({ status: "recovered", recoveredMinor: 4900 });
    const retries = (await sim.stepsOf(caseId!)).filter((s) => s.key.startsWith("card-update:"));
    expect(retries.some((s) => s.status === "done" && s.outcome?.status === "succeeded")).toBe(true);
    const p = await portalCaseOf(sim, caseId!);
    expect(await resultAfterCardUpdate(sim.db, p)).toEqual({ kind: "paid", amountMinor: 4900, currency: "eur" });
    expect((await loadOverview(sim.db, p)).state).toBe("paid");
    // The form cannot be used twice.
    await expect(submitTestCard(sim.db, p, reference, "tok_visa")).rejects.toThrow();
  });

  it("update card to one that declines: the result names the reason", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    await submitTestCard(sim.db, await portalCaseOf(sim, caseId!), await formFor(sim, caseId!, "card"), "tok_insufficient_funds");
    expect(await resultAfterCardUpdate(sim.db, await portalCaseOf(sim, caseId!))).toEqual({ kind: "declined", reason: "insufficient_funds" });
    expect((await sim.caseOf(caseId!)).status).toBe("open");
  });

  it("pay now with a 3-D Secure card: authenticate, then the webhook closes the case", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_generic_decline", 2900);
    const reference = await formFor(sim, caseId!, "pay");
    const declined = await submitTestCard(sim.db, await portalCaseOf(sim, caseId!), reference, "tok_expired_card");
    expect(declined).toEqual({ kind: "declined", category: "card_update_needed" });

    const step = await submitTestCard(sim.db, await portalCaseOf(sim, caseId!), reference, "tok_authentication_required");
    expect(step).toMatchObject({ kind: "authenticate", reference: expect.stringMatching(/^ch_/) });
    if (step.kind !== "authenticate") return;
    expect(await describeForm(sim.db, await portalCaseOf(sim, caseId!), step.reference)).toMatchObject({ purpose: "authenticate", status: "open", amount: 2900 });
    expect(await submitAuthentication(sim.db, await portalCaseOf(sim, caseId!), step.reference)).toEqual({ kind: "paid" });
    expect(await sim.caseOf(caseId!)).toMatchObject({ status: "recovered", closeReason: "the invoice was paid" });
    expect(await resultAfterPayment(sim.db, await portalCaseOf(sim, caseId!))).toMatchObject({ kind: "paid" });
  });
});
