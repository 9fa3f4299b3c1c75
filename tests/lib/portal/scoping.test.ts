import { describe, expect, it } from "vitest";
import { loadPortalCase } from "@/lib/portal/context";
import { loadOverview } from "@/lib/portal/overview";
import { payableInvoice, startCardUpdate } from "@/lib/portal/payments";
import { describeForm, submitTestCard } from "@/lib/portal/sandbox-forms";
import { makeSimulation, portalCaseOf, sessionFor } from "./helpers";

describe("a portal session sees its own case only", () => {
  it("a session of workspace A cannot load, list, pay or use forms of workspace B (or of another customer in A)", async () => {
    const a = await makeSimulation();
    const b = await makeSimulation();
    const caseA = (await a.failingRenewal("tok_insufficient_funds")).caseId!;
    const neighbour = await a.failingRenewal("tok_insufficient_funds");
    const caseB = await b.failingRenewal("tok_insufficient_funds");
    const sessionA = await sessionFor(a, caseA);

    // Ids of another workspace's case, or another customer's, in an otherwise valid session.
    expect(await loadPortalCase(a.db, { ...sessionA, caseId: caseB.caseId! }, a.clock)).toBeNull();
    expect(await loadPortalCase(a.db, { ...sessionA, caseId: neighbour.caseId! }, a.clock)).toBeNull();
    expect(await loadPortalCase(a.db, { ...(await sessionFor(b, caseB.caseId!)), workspaceId: a.workspaceId }, a.clock)).toBeNull();

    const p = await portalCaseOf(a, caseA);
    const overview = await loadOverview(a.db, p);
    expect(overview.invoices.map((i) => i.id)).toEqual([p.invoice.id]);
    await expect(payableInvoice(a.db, p, caseB.invoiceId)).rejects.toThrow(/No such open invoice/);
    await expect(payableInvoice(a.db, p, neighbour.invoiceId)).rejects.toThrow(/No such open invoice/);

    // Form references of other customers (same workspace or not) are not found for this session.
    const startB = await startCardUpdate(b.db, await portalCaseOf(b, caseB.caseId!));
    const startNeighbour = await startCardUpdate(a.db, await portalCaseOf(a, neighbour.caseId!));
    if (startB.kind !== "sandbox_form" || startNeighbour.kind !== "sandbox_form") throw new Error("expected sandbox forms");
    expect(await describeForm(a.db, p, startB.reference)).toBeNull();
    expect(await describeForm(a.db, p, startNeighbour.reference)).toBeNull();
    await expect(submitTestCard(a.db, p, startNeighbour.reference, "tok_visa")).rejects.toThrow(/No such form/);
    expect(await describeForm(a.db, await portalCaseOf(a, neighbour.caseId!), startNeighbour.reference)).toMatchObject({ purpose: "setup" });
  });
});
