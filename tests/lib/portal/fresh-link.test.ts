import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { portalRequests } from "@/drizzle/schema";
import { fixedClock } from "@/lib/clock";
import { requestFreshLink } from "@/lib/portal/fresh-link";
import { portalLinkFor, resolvePortalLink } from "@/lib/portal/links";
import { setPortalNotifier, type PortalNotice } from "@/lib/portal/notify";
import { makeSimulation } from "./helpers";

afterEach(() => setPortalNotifier(null));
const DAY = 86_400_000;

describe("expired link → fresh link by email", () => {
  it("sends a new link only to the address on file, at most 3 tries per case per hour, matching or not", async () => {
    const sim = await makeSimulation();
    const sent: PortalNotice[] = [];
    setPortalNotifier(async (_db, notice) => void sent.push(notice));
    const { caseId, customer } = await sim.failingRenewal("tok_insufficient_funds");
    const expired = (await portalLinkFor(sim.db, caseId!, new Date(sim.clock.now().getTime() - 31 * DAY))).split("/portal/l/")[1]!;
    expect((await resolvePortalLink(sim.db, expired, sim.clock)).status).toBe("expired");

    expect(await requestFreshLink(sim.db, expired, "someone@else.example", sim.clock)).toBe("mismatch");
    expect(sent).toHaveLength(0);
    expect(await requestFreshLink(sim.db, expired, `  ${customer.email.toUpperCase()} `, sim.clock)).toBe("sent");
    expect(sent).toHaveLength(1);
    const notice = sent[0]!;
    if (notice.kind !== "fresh_link") throw new Error("expected a fresh link");
    expect(notice.to).toBe(customer.email);
    const fresh = notice.url.split("/portal/l/")[1]!;
    expect((await resolvePortalLink(sim.db, fresh, sim.clock)).status).toBe("valid");

    expect(await requestFreshLink(sim.db, expired, "guess@else.example", sim.clock)).toBe("mismatch");
    // The fourth try within the hour is refused, even with the right address.
    expect(await requestFreshLink(sim.db, expired, customer.email, sim.clock)).toBe("rate_limited");
    expect(sent).toHaveLength(1);
    const later = fixedClock(new Date(sim.clock.now().getTime() + 3600_000 + 1000));
    expect(await requestFreshLink(sim.db, expired, customer.email, later)).toBe("sent");
    const rows = await sim.db.select().from(portalRequests).where(and(eq(portalRequests.caseId, caseId!), eq(portalRequests.kind, "fresh_link")));
    expect(rows.map((r) => r.status).sort()).toEqual(["done", "done", "refused", "refused", "refused"]);
  });

  it("a tampered token asks for nothing", async () => {
    const sim = await makeSimulation();
    const { caseId, customer } = await sim.failingRenewal("tok_insufficient_funds");
    const token = (await portalLinkFor(sim.db, caseId!, sim.clock.now())).split("/portal/l/")[1]!;
    expect(await requestFreshLink(sim.db, `${token}x`, customer.email, sim.clock)).toBe("invalid");
  });
});
