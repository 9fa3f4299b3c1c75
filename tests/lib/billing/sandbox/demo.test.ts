import { describe, expect, it } from "vitest";
import { createSandboxProvider } from "@/lib/billing/sandbox";
import { seedSandboxDemo } from "@/lib/billing/sandbox/demo";
import { makeSandboxContext } from "../../../helpers/sandbox";

describe("sandbox demo seed", () => {
  it("creates a varied account once, with paid invoices and every kind of failure", async () => {
    const ctx = await makeSandboxContext("2025-03-03T09:00:00Z");
    const provider = createSandboxProvider(ctx);
    const [a, b] = await Promise.all([seedSandboxDemo(ctx), seedSandboxDemo(ctx)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.created ? a : b).toEqual({ created: true, customers: 8, paid: 3, failed: 4, requiresAction: 1 });
    expect(await seedSandboxDemo(ctx)).toMatchObject({ created: false, customers: 0 });

    const customers = (await provider.listCustomers(null)).items;
    expect(customers).toHaveLength(8);
    expect(new Set(customers.map((c) => c.locale))).toEqual(new Set(["en", "de", "fr", "es"]));
    expect(new Set(customers.map((c) => c.currency))).toEqual(new Set(["eur", "usd", "gbp"]));
    expect(new Set(customers.map((c) => c.timezone)).size).toBeGreaterThanOrEqual(6);

    const open = (await provider.listOpenInvoices(null)).items;
    expect(open).toHaveLength(5);
    const events = (await provider.listMissedEvents({ since: new Date(0), cursor: null })).items;
    const failures = await Promise.all(events.filter((e) => e.type === "invoice.payment_failed").map((e) => provider.normalizeWebhook(e)));
    expect(failures.map((f) => f![0]!.attempt!.declineCode).sort()).toEqual(["expired_card", "generic_decline", "insufficient_funds", "insufficient_funds"]);
    expect(events.filter((e) => e.type === "invoice.payment_action_required")).toHaveLength(1);
    // Renewals bill the period that starts today.
    expect(open.every((i) => i.issuedAt.getTime() === ctx.clock.now().getTime())).toBe(true);
  });

  it("has one customer whose card declines until next week and pays after", async () => {
    const ctx = await makeSandboxContext("2025-03-03T09:00:00Z");
    const provider = createSandboxProvider(ctx);
    await seedSandboxDemo(ctx);
    const priya = (await provider.listCustomers(null)).items.find((c) => c.email === "priya@lumen.example")!;
    const invoice = (await provider.listOpenInvoices(null)).items.find((i) => i.customerExternalId === priya.externalId)!;
    ctx.clock.set("2025-03-07T09:00:00Z");
    expect((await provider.retryInvoicePayment({ invoiceExternalId: invoice.externalId, idempotencyKey: "early" })).attempt?.declineCode).toBe("insufficient_funds");
    ctx.clock.set("2025-03-10T09:00:00Z");
    expect((await provider.retryInvoicePayment({ invoiceExternalId: invoice.externalId, idempotencyKey: "payday" })).status).toBe("succeeded");
  });
});
