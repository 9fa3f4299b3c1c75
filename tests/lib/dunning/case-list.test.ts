import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dunningCases } from "@/drizzle/schema";
import { listCases } from "@/lib/dunning/queries";
import { makeSimulation } from "../../helpers/dunning";

describe("listing cases by amount", () => {
  it("reads the typed amount in each case's own currency: zero, two and three decimals", async () => {
    const sim = await makeSimulation();
    const amounts = [
      { currency: "eur", amountMinor: 4950 }, // €49.50
      { currency: "jpy", amountMinor: 5000 }, // ¥5,000
      { currency: "kwd", amountMinor: 49_500 }, // KWD 49.500
      { currency: "usd", amountMinor: 500_000 }, // $5,000.00
    ];
    const ids: Record<string, string> = {};
    for (const a of amounts) {
      const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
      await sim.db.update(dunningCases).set(a).where(eq(dunningCases.id, caseId!));
      ids[a.currency] = caseId!;
    }
    const currencies = async (filter: { minAmount?: number; maxAmount?: number }) =>
      (await listCases(sim.db, sim.workspaceId, filter)).map((c) => c.currency).sort();
    expect(await currencies({ minAmount: 49.5, maxAmount: 49.5 })).toEqual(["eur", "kwd"]);
    expect(await currencies({ minAmount: 1000 })).toEqual(["jpy", "usd"]);
    expect(await currencies({ maxAmount: 100 })).toEqual(["eur", "kwd"]);
    expect(await currencies({ minAmount: 49.501 })).toEqual(["jpy", "usd"]);
  });
});
