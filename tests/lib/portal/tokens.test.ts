import { describe, expect, it } from "vitest";
import { useEnv } from "../../helpers/messaging";
import { fixedClock } from "@/lib/clock";
import { portalLinkFor, resolvePortalLink, revokePortalLinks } from "@/lib/portal/links";
import { exchangeLinkToken, portalSessionCookie, readPortalSession, signPortalSession } from "@/lib/portal/sessions";
import { portalKeyring, signPortalLinkToken, verifyPortalLinkToken } from "@/lib/portal/tokens";
import { makeSimulation, sessionFor } from "./helpers";

const tokenOf = (url: string) => url.split("/portal/l/")[1]!;
const DAY = 86_400_000;

describe("portal link tokens", () => {
  it("a link opens its case for 30 days and becomes a short session; after that it is expired, not invalid", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    const url = await portalLinkFor(sim.db, caseId!, sim.clock.now());
    expect(url).toMatch(/^http:\/\/localhost:3999\/portal\/l\/[A-Za-z0-9_-]+\.k[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    const token = tokenOf(url);

    const valid = await resolvePortalLink(sim.db, token, sim.clock);
    expect(valid).toMatchObject({ status: "valid", claims: { caseId, workspaceId: sim.workspaceId } });
    const exchange = await exchangeLinkToken(sim.db, token, sim.clock);
    expect(exchange.status).toBe("session");
    if (exchange.status !== "session") return;
    // The session lasts two hours, then it is gone while the link still works.
    expect(exchange.session.expiresAt.getTime() - sim.clock.now().getTime()).toBe(2 * 3600_000);
    expect(await readPortalSession(sim.db, exchange.cookie, sim.clock)).toMatchObject({ caseId });
    expect(await readPortalSession(sim.db, exchange.cookie, fixedClock(new Date(sim.clock.now().getTime() + 2 * 3600_000 + 1000)))).toBeNull();

    expect((await resolvePortalLink(sim.db, token, fixedClock(new Date(sim.clock.now().getTime() + 29 * DAY)))).status).toBe("valid");
    const later = fixedClock(new Date(sim.clock.now().getTime() + 30 * DAY + 1000));
    expect(await resolvePortalLink(sim.db, token, later)).toMatchObject({ status: "expired", claims: { caseId } });
    expect(await exchangeLinkToken(sim.db, token, later)).toEqual({ status: "expired", token });
  });

  it("a tampered token, one signed with another secret, or a session cookie used as a link is invalid", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    const token = tokenOf(await portalLinkFor(sim.db, caseId!, sim.clock.now()));
    const [payload, kid, mac] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86400 })).toString("base64url");
    const flipped = mac.slice(0, -2) + (mac.endsWith("AA") ? "BB" : "AA");

    for (const bad of [`${forged}.${kid}.${mac}`, `${payload}.${kid}.${flipped}`, `${payload}.kdeadbeef.${mac}`, `${payload}.${kid}`, "", "a.b.c.d"]) {
      expect(await resolvePortalLink(sim.db, bad, sim.clock), bad).toEqual({ status: "invalid" });
    }
    const otherSecret = signPortalLinkToken({ ...verifyPortalLinkToken(token)!, version: 1 }, portalKeyring("portal-link", "another-secret-another-secret-0123456789"));
    expect(await resolvePortalLink(sim.db, otherSecret, sim.clock)).toEqual({ status: "invalid" });
    // Same secret, other purpose: a session cookie never opens as a link, nor a link as a session.
    const session = signPortalSession(await sessionFor(sim, caseId!));
    expect(await resolvePortalLink(sim.db, session, sim.clock)).toEqual({ status: "invalid" });
    expect(await readPortalSession(sim.db, token, sim.clock)).toBeNull();
  });

  it("revoking a case's links ends its links and sessions; a new link works", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    const old = tokenOf(await portalLinkFor(sim.db, caseId!, sim.clock.now()));
    const exchange = await exchangeLinkToken(sim.db, old, sim.clock);
    if (exchange.status !== "session") throw new Error("expected a session");

    expect(await revokePortalLinks(sim.db, sim.workspaceId, caseId!, sim.clock.now())).toBe(2);
    expect(await resolvePortalLink(sim.db, old, sim.clock)).toMatchObject({ status: "revoked" });
    expect(await readPortalSession(sim.db, exchange.cookie, sim.clock)).toBeNull();
    const fresh = tokenOf(await portalLinkFor(sim.db, caseId!, sim.clock.now()));
    expect((await resolvePortalLink(sim.db, fresh, sim.clock)).status).toBe("valid");
    expect(await revokePortalLinks(sim.db, sim.workspaceId, caseId!, sim.clock.now())).toBe(3);
  });

  it("a token naming another workspace's case, or another customer, opens nothing", async () => {
    const a = await makeSimulation();
    const b = await makeSimulation();
    const caseA = (await a.failingRenewal("tok_generic_decline")).caseId!;
    const caseB = (await b.failingRenewal("tok_generic_decline")).caseId!;
    const claimsA = verifyPortalLinkToken(tokenOf(await portalLinkFor(a.db, caseA, a.clock.now())))!;
    const claimsB = verifyPortalLinkToken(tokenOf(await portalLinkFor(b.db, caseB, b.clock.now())))!;
    // Correctly signed, but the case is B's while the workspace (or customer) is A's.
    const mixed = [
      { ...claimsA, caseId: caseB },
      { ...claimsB, workspaceId: claimsA.workspaceId },
      { ...claimsB, customerId: claimsA.customerId },
    ];
    for (const claims of mixed) {
      expect(await resolvePortalLink(a.db, signPortalLinkToken(claims), a.clock)).toEqual({ status: "invalid" });
      expect(await readPortalSession(a.db, signPortalSession(claims), a.clock)).toBeNull();
    }
  });

  it("keys rotate: a link signed before AUTH_SECRET changed still verifies while the old secret is listed", () => {
    const claims = { workspaceId: "ws_a", customerId: "cus_a", caseId: "case_a", version: 1, expiresAt: new Date("2030-01-01") };
    const oldSecret = "old-secret-old-secret-old-secret-0123";
    const token = signPortalLinkToken(claims, portalKeyring("portal-link", oldSecret));
    expect(verifyPortalLinkToken(token, portalKeyring("portal-link", "new-secret-new-secret-new-secret-0123"))).toBeNull();
    expect(verifyPortalLinkToken(token, portalKeyring("portal-link", "new-secret-new-secret-new-secret-0123", [oldSecret]))).toEqual(claims);
    expect(portalKeyring("portal-link", oldSecret).current.id).not.toBe(portalKeyring("portal-link", "new-secret-new-secret-new-secret-0123").current.id);
  });

  it("with AUTH_SECRET_PREVIOUS set, a link signed under an earlier secret still opens the portal; one under an unknown secret does not", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    const oldSecret = "old-secret-old-secret-old-secret-0123";
    const claims = verifyPortalLinkToken(tokenOf(await portalLinkFor(sim.db, caseId!, sim.clock.now())))!;
    const underOld = signPortalLinkToken(claims, portalKeyring("portal-link", oldSecret));
    const underUnknown = signPortalLinkToken(claims, portalKeyring("portal-link", "unknown-secret-unknown-secret-0123456"));

    expect(await resolvePortalLink(sim.db, underOld, sim.clock)).toEqual({ status: "invalid" });
    const restore = useEnv({ AUTH_SECRET_PREVIOUS: `an-even-older-secret-an-even-older-0123, ${oldSecret}` });
    try {
      expect(await resolvePortalLink(sim.db, underOld, sim.clock)).toMatchObject({ status: "valid", claims: { caseId } });
      const exchange = await exchangeLinkToken(sim.db, underOld, sim.clock);
      expect(exchange.status).toBe("session");
      // New links and sessions are signed with the current secret only.
      if (exchange.status === "session") expect(exchange.cookie.split(".")[1]).toBe(portalKeyring("portal-session").current.id);
      expect(tokenOf(await portalLinkFor(sim.db, caseId!, sim.clock.now())).split(".")[1]).toBe(portalKeyring("portal-link").current.id);
      expect(await resolvePortalLink(sim.db, underUnknown, sim.clock)).toEqual({ status: "invalid" });
    } finally {
      restore();
    }
    expect(await resolvePortalLink(sim.db, underOld, sim.clock)).toEqual({ status: "invalid" });
  });

  it("the session cookie is HttpOnly, SameSite=Lax, and Secure with a __Host- name on https", () => {
    expect(portalSessionCookie("http://localhost:3000")).toMatchObject({ name: "dunwell-portal", options: { httpOnly: true, sameSite: "lax", secure: false, path: "/", maxAge: 7200 } });
    expect(portalSessionCookie("https://pay.example.com")).toMatchObject({ name: "__Host-dunwell-portal", options: { secure: true } });
  });
});
