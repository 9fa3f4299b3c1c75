import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, invoices, paymentAttempts, paymentMethods } from "@/drizzle/schema";
import { applyNormalizedEvents } from "@/lib/billing/apply";
import type { NormalizedEvent } from "@/lib/billing/types";
import { getDb } from "@/lib/db/client";
import { attemptSnapshot, cardSnapshot, customerSnapshot, invoiceSnapshot, makeScope } from "../../helpers/billing";

const at = new Date("2026-11-02T09:00:00Z");

/** The life of one invoice: fails, then is paid. */
const lifecycle = (): NormalizedEvent[] => [
  { type: "customer.updated", occurredAt: at, customer: customerSnapshot({ version: 1 }) },
  { type: "payment.failed", occurredAt: at, invoice: invoiceSnapshot({ version: 2 }), attempt: attemptSnapshot() },
  { type: "payment_method.attached", occurredAt: at, paymentMethod: cardSnapshot({ version: 3 }) },
  {
    type: "invoice.paid",
    occurredAt: at,
    invoice: invoiceSnapshot({ status: "paid", amountPaid: 4900, amountRemaining: 0, paidAt: at, version: 4 }),
    attempt: attemptSnapshot({ externalId: "ch_2", status: "succeeded", declineCode: null, failureCode: null, adviceCode: null, failureMessage: null, networkDeclineCode: null }),
  },
];

async function stateOf(scope: { workspaceId: string; connectionId: string }) {
  const db = await getDb();
  const [invoice] = await db.select().from(invoices).where(eq(invoices.connectionId, scope.connectionId));
  const attempts = await db.select().from(paymentAttempts).where(eq(paymentAttempts.connectionId, scope.connectionId)).orderBy(paymentAttempts.externalId);
  const methods = await db.select().from(paymentMethods).where(eq(paymentMethods.connectionId, scope.connectionId));
  return {
    invoice: { status: invoice!.status, remaining: invoice!.amountRemaining, version: invoice!.providerVersion },
    attempts: attempts.map((a) => [a.externalId, a.status, a.declineCode]),
    methods: methods.map((m) => [m.externalId, m.isDefault, m.last4]),
  };
}

describe("billing store", () => {
  it("reaches the same end state whether events arrive in order, reversed, or twice", async () => {
    const db = await getDb();
    const inOrder = await makeScope();
    const reversed = await makeScope();
    const twice = await makeScope();
    for (const event of lifecycle()) await db.transaction((tx) => applyNormalizedEvents(tx, inOrder, [event], []));
    // Reversed: the customer must exist first (processing fetches missing parents before applying).
    const events = lifecycle();
    await db.transaction((tx) => applyNormalizedEvents(tx, reversed, [events[0]!, ...events.slice(1).reverse()], []));
    for (const event of [...lifecycle(), ...lifecycle()]) await db.transaction((tx) => applyNormalizedEvents(tx, twice, [event], []));

    const expected = {
      invoice: { status: "paid", remaining: 0, version: 4 },
      attempts: [
        ["ch_1", "failed", "insufficient_funds"],
        ["ch_2", "succeeded", null],
      ],
      methods: [["pm_1", true, "4242"]],
    };
    expect(await stateOf(inOrder)).toEqual(expected);
    expect(await stateOf(reversed)).toEqual(expected);
    expect(await stateOf(twice)).toEqual(expected);
  });

  it("never lets an older snapshot overwrite a newer one", async () => {
    const db = await getDb();
    const scope = await makeScope();
    await db.transaction((tx) =>
      applyNormalizedEvents(tx, scope, [{ type: "customer.updated", occurredAt: at, customer: customerSnapshot({ email: "new@example.com", version: 10 }) }], []),
    );
    await db.transaction((tx) =>
      applyNormalizedEvents(tx, scope, [{ type: "customer.updated", occurredAt: at, customer: customerSnapshot({ email: "old@example.com", version: 5 }) }], []),
    );
    const [row] = await db.select().from(customers).where(eq(customers.connectionId, scope.connectionId));
    expect(row!.email).toBe("new@example.com");
  });

  it("keeps one default payment method per customer and refuses events about unknown customers", async () => {
    const db = await getDb();
    const scope = await makeScope();
    await db.transaction((tx) =>
      applyNormalizedEvents(
        tx,
        scope,
        [
          { type: "customer.updated", occurredAt: at, customer: customerSnapshot() },
          { type: "payment_method.attached", occurredAt: at, paymentMethod: cardSnapshot({ version: 1 }) },
          { type: "payment_method.attached", occurredAt: at, paymentMethod: cardSnapshot({ externalId: "pm_2", last4: "4444", brand: "mastercard", version: 2 }) },
        ],
        [],
      ),
    );
    const methods = await db.select().from(paymentMethods).where(eq(paymentMethods.connectionId, scope.connectionId)).orderBy(paymentMethods.externalId);
    expect(methods.map((m) => [m.externalId, m.isDefault])).toEqual([
      ["pm_1", false],
      ["pm_2", true],
    ]);
    await expect(
      db.transaction((tx) => applyNormalizedEvents(tx, scope, [{ type: "payment.failed", occurredAt: at, invoice: invoiceSnapshot({ customerExternalId: "cus_unknown" }) }], [])),
    ).rejects.toThrow(/cus_unknown/);
  });
});
