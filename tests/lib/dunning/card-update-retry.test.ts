import { describe, expect, it } from "vitest";
import { attachPaymentMethod, updateCardExpiry } from "@/lib/billing/sandbox/simulate";
import { makeSimulation } from "../../helpers/dunning";

describe("the immediate retry after a card update", () => {
  it("comes once per card and expiry: not again when the provider re-sends the same card, again when the updater changes its expiry", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId, customer } = await sim.failingRenewal("tok_generic_decline");
    const cardRetries = async () => (await sim.stepsOf(caseId!)).filter((s) => s.key.startsWith("card-update:")).map((s) => s.key);

    const card = await attachPaymentMethod(sim.sandbox, customer.id, "tok_insufficient_funds", { makeDefault: true });
    await sim.sync();
    expect(await cardRetries()).toHaveLength(1);

    // The same card with the same expiry, read again at a newer version (what Stripe's follow-up events look like).
    await updateCardExpiry(sim.sandbox, card.id, { expMonth: card.card.exp_month, expYear: card.card.exp_year });
    await sim.sync();
    expect(await cardRetries()).toHaveLength(1);

    // The account updater: same card, new expiry — worth another try.
    await updateCardExpiry(sim.sandbox, card.id, { expMonth: 12, expYear: card.card.exp_year + 3 });
    await sim.sync();
    const keys = await cardRetries();
    expect(keys).toHaveLength(2);
    expect(keys).toContain(`card-update:${card.id}:${card.card.exp_year + 3}-12`);
  });
});
