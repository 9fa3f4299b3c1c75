import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, paymentMethods } from "@/drizzle/schema";
import { createCustomer, createSubscription, updateCardExpiry } from "@/lib/billing/sandbox/simulate";
import { exchangeCardLink, cardLinkFor, readCardSession, revokeCardLinks } from "@/lib/portal/card-links";
import { loadCardUpdateView } from "@/lib/portal/card-page";
import { loadPortalCustomer } from "@/lib/portal/context";
import { exchangeLinkToken } from "@/lib/portal/sessions";
import { portalLinkFor, revokePortalLinks } from "@/lib/portal/links";
import { startCardUpdate } from "@/lib/portal/payments";
import { describeForm, submitTestCard } from "@/lib/portal/sandbox-forms";
import { makeSimulation, type Sim } from "./helpers";

const DAY = 86_400_000;
const tokenOf = (url: string) => url.split("/portal/c/")[1]!;

/** A customer with no case: a Visa expiring in March 2026, renewing on 20 March. */
async function customerWithoutCase(sim: Sim) {
  const customer = await createCustomer(sim.sandbox, { email: `c${Math.random().toString(36).slice(2, 8)}@example.com`, name: "Ana", currency: "eur", timezone: "Europe/Berlin", locale: "de", paymentMethod: "tok_visa" });
  await updateCardExpiry(sim.sandbox, customer.default_payment_method!, { expMonth: 3, expYear: 2026 });
  await createSubscription(sim.sandbox, { customerId: customer.id, planName: "Pro", amount: 4900, currency: "eur", interval: "month", startAt: new Date("2026-02-20T10:00:00Z") });
  await sim.sync();
  const [row] = await sim.db.select().from(customers).where(and(eq(customers.workspaceId, sim.workspaceId), eq(customers.externalId, customer.id)));
  return row!;
}

describe("case-free card-update links (pre-dunning)", () => {
  it("open a card session for that customer, show the expiring card and renewal, and save a new card through the sandbox form", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T09:00:00Z" });
    const customer = await customerWithoutCase(sim);
    const url = await cardLinkFor(sim.db, sim.workspaceId, customer.id, sim.clock.now());
    expect(url).toMatch(/\/portal\/c\/[A-Za-z0-9_-]+\.k[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);

    const exchange = await exchangeCardLink(sim.db, tokenOf(url), sim.clock);
    expect(exchange.status).toBe("session");
    if (exchange.status !== "session") return;
    const claims = await readCardSession(sim.db, exchange.cookie, sim.clock);
    expect(claims).toMatchObject({ workspaceId: sim.workspaceId, customerId: customer.id });
    // The session is short (an hour), never the link's 45 days.
    expect(claims!.expiresAt.getTime() - sim.clock.now().getTime()).toBeLessThanOrEqual(3600_000);

    const p = (await loadPortalCustomer(sim.db, claims!, sim.clock))!;
    expect(p.text.locale).toBe("de");
    const view = await loadCardUpdateView(sim.db, p);
    expect(view).toMatchObject({ card: "Visa mit Endziffern 4242", expiry: "03/2026" });
    expect(view.renewalAt?.toISOString()).toBe("2026-03-20T10:00:00.000Z");

    const start = await startCardUpdate(sim.db, p);
    expect(start.kind).toBe("sandbox_form");
    if (start.kind !== "sandbox_form") return;
    expect(await describeForm(sim.db, p, start.reference)).toMatchObject({ purpose: "setup" });
    expect(await submitTestCard(sim.db, p, start.reference, "tok_mastercard")).toEqual({ kind: "card_saved" });
    const [card] = await sim.db.select().from(paymentMethods).where(and(eq(paymentMethods.customerId, customer.id), eq(paymentMethods.isDefault, true), eq(paymentMethods.status, "active")));
    expect(card).toMatchObject({ brand: "mastercard" });
  });

  it("refuse tampered tokens, case links, tokens naming another workspace's customer, and expired or revoked links", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T09:00:00Z" });
    const other = await makeSimulation({ start: "2026-03-02T09:00:00Z" });
    const customer = await customerWithoutCase(sim);
    const token = tokenOf(await cardLinkFor(sim.db, sim.workspaceId, customer.id, sim.clock.now()));

    const [payload, keyId, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), w: other.workspaceId })).toString("base64url");
    expect((await exchangeCardLink(sim.db, `${forged}.${keyId}.${signature}`, sim.clock)).status).toBe("invalid");
    // A customer id is not enough: the workspace in the signed claims must own it.
    await expect(cardLinkFor(other.db, other.workspaceId, customer.id, sim.clock.now())).rejects.toThrow(/No customer/);
    expect(await loadPortalCustomer(sim.db, { workspaceId: other.workspaceId, customerId: customer.id })).toBeNull();

    // A case's link is not a card link, and a card link is not a case link.
    const caseId = (await sim.failingRenewal("tok_insufficient_funds")).caseId!;
    const caseToken = (await portalLinkFor(sim.db, caseId, sim.clock.now())).split("/portal/l/")[1]!;
    expect((await exchangeCardLink(sim.db, caseToken, sim.clock)).status).toBe("invalid");
    expect((await exchangeLinkToken(sim.db, token, sim.clock)).status).toBe("invalid");

    // Expiry runs on the workspace's clock; 45 days by default.
    sim.clock.advance(46 * DAY);
    expect((await exchangeCardLink(sim.db, token, sim.clock)).status).toBe("expired");
  });

  it("are revoked with the customer's card-link version, and by revoking a case's links", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T09:00:00Z" });
    const customer = await customerWithoutCase(sim);
    const token = tokenOf(await cardLinkFor(sim.db, sim.workspaceId, customer.id, sim.clock.now()));
    const exchange = await exchangeCardLink(sim.db, token, sim.clock);
    if (exchange.status !== "session") throw new Error("expected a session");
    await revokeCardLinks(sim.db, sim.workspaceId, customer.id);
    expect((await exchangeCardLink(sim.db, token, sim.clock)).status).toBe("revoked");
    expect(await readCardSession(sim.db, exchange.cookie, sim.clock)).toBeNull();

    // Revoking a case's links (the admin's button) revokes its customer's card links too.
    const caseId = (await sim.failingRenewal("tok_insufficient_funds")).caseId!;
    const caseCustomer = (await sim.caseOf(caseId)).customerId;
    const before = tokenOf(await cardLinkFor(sim.db, sim.workspaceId, caseCustomer, sim.clock.now()));
    expect((await exchangeCardLink(sim.db, before, sim.clock)).status).toBe("session");
    await revokePortalLinks(sim.db, sim.workspaceId, caseId, sim.clock.now());
    expect((await exchangeCardLink(sim.db, before, sim.clock)).status).toBe("revoked");
    const after = tokenOf(await cardLinkFor(sim.db, sim.workspaceId, caseCustomer, sim.clock.now()));
    expect((await exchangeCardLink(sim.db, after, sim.clock)).status).toBe("session");
  });
});
