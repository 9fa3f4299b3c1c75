import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, buttonClassName, Card, Field, Input } from "@/components/ui";
import type { DunningCase } from "@/drizzle/schema";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { listConnections } from "@/lib/billing/connections";
import { getDb, type Db } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { getPolicyVersion, listPolicies } from "@/lib/dunning/policies";
import { getCaseDetail } from "@/lib/dunning/queries";
import { isAppError } from "@/lib/errors";
import { formatDateTime, formatMoney } from "@/lib/format";
import { tokenVersionOf } from "@/lib/portal/links";
import { openHelpRequestsOfCase } from "@/lib/portal/operator";
import { AutoRefresh } from "../../_components/auto-refresh";
import { DateTime, invoiceHref, param, type SearchParams } from "../../_components/billing-ui";
import { CaseStatusBadge, categoryLabel } from "../../_components/dunning-ui";
import { InlineActionForm } from "../../_components/inline-action-form";
import { skipStepAction, writeOffAction } from "../../dunning-actions";
import { CaseActions } from "../_components/case-actions";
import { CasePortal } from "../_components/case-portal";
import { CaseTimeline } from "../_components/case-timeline";

export const metadata: Metadata = { title: "Case" };

async function findCase(db: Db, workspaceId: string, id: string) {
  try {
    return await getCaseDetail(db, workspaceId, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-1.5 text-sm">
      <dt className="shrink-0 text-muted">{label}</dt>
      <dd className="min-w-0 text-right text-text">{children}</dd>
    </div>
  );
}

/** What the last action did, after the page reloaded (its form may be gone). */
function doneMessage(done: string | undefined, c: DunningCase, timeZone: string): string | null {
  switch (done) {
    case "paused":
      return `Case paused${c.pausedUntil ? ` until ${formatDateTime(c.pausedUntil, timeZone)}` : " until you resume it"}. No retries or messages run meanwhile.`;
    case "resumed":
      return "Case resumed and re-planned; steps that fell due during the pause run on the engine's next pass.";
    case "skipped":
      return "Step skipped; the plan was redrawn without it.";
    case "written_off":
      return "Case written off: the provider marks the invoice uncollectible and every planned step was canceled.";
    case "recovered":
      return "Marked as recovered outside the provider; every planned step was canceled.";
    case "help_resolved":
      return c.status === "paused" ? "Help request resolved. The case stays paused until you resume it." : "Help request resolved.";
    default:
      return null;
  }
}

export default async function CasePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("viewer");
  const db = await getDb();
  const query = await searchParams;
  const { c, customer, invoice, events, attempts, steps } = await findCase(db, workspace.id, (await params).id);
  const [version, policies, connections, clock, helpRequests, linkVersion] = await Promise.all([
    getPolicyVersion(db, workspace.id, c.policyVersionId),
    listPolicies(db, workspace.id),
    listConnections(db, workspace.id),
    workspaceClock(db, workspace.id),
    openHelpRequestsOfCase(db, workspace.id, c.id),
    tokenVersionOf(db, c.id),
  ]);
  const policy = policies.find((p) => p.id === version.row.policyId);
  const connection = connections.find((x) => x.id === c.connectionId);
  const tz = workspace.timezone;
  const now = clock.now();
  const live = c.status === "open" || c.status === "paused";
  const canAct = live && hasRole(role, "admin");
  const money = (minor: number) => formatMoney(minor, c.currency);
  const who = customer.email ?? customer.name ?? "Customer without email";
  const done = doneMessage(param(query.done), c, tz);
  const confirmWriteOff = canAct && param(query.confirm) === "write-off";
  // A step due now (retry now, a resumed plan) runs within seconds: follow it.
  const running = live && steps.some((s) => (s.status === "pending" && s.dueAt <= now) || s.status === "running");

  return (
    <div className="space-y-6">
      <AutoRefresh active={running} maxMs={30_000} />
      <PageHeader
        eyebrow={<Link href="/admin/cases" className="hover:underline">← Cases</Link>}
        title={<span className="inline-flex flex-wrap items-center gap-3">{who} <CaseStatusBadge status={c.status} /></span>}
        description={`${money(c.amountMinor)} · invoice ${invoice.number ?? invoice.externalId} · ${categoryLabel(c.declineCategory)} · policy ${policy?.key ?? "?"} v${version.row.version}${c.segment ? ` · segment ${c.segment}` : ""}`}
      />
      {done ? <Alert variant="success">{done}</Alert> : null}
      {confirmWriteOff ? (
        <Card id="write-off" title="Write off this invoice?" description={`Stops recovering ${money(c.amountMinor)} from ${who}: the provider marks the invoice uncollectible and every planned step is canceled.`} className="border-danger/40">
          <div className="flex flex-wrap items-end gap-3">
            <InlineActionForm action={writeOffAction} submitLabel="Write off" variant="danger" className="flex flex-wrap items-end gap-x-2 gap-y-1">
              <input type="hidden" name="id" value={c.id} />
              <Field label="Note (optional)" htmlFor="write-off-note" className="w-64">
                <Input id="write-off-note" name="note" maxLength={300} />
              </Field>
            </InlineActionForm>
            <Link href={`/admin/cases/${encodeURIComponent(c.id)}`} className={buttonClassName({ variant: "secondary", size: "sm" })}>
              Cancel
            </Link>
          </div>
        </Card>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card title="Timeline" description="What happened and what is planned, in the workspace's time zone.">
          <CaseTimeline
            events={events}
            attempts={attempts}
            steps={steps}
            provider={connection?.provider ?? "sandbox"}
            now={now}
            timeZone={tz}
            stepAction={
              canAct
                ? (step) => (
                    <InlineActionForm action={skipStepAction} submitLabel={`Skip ${step.kind === "final_action" ? "final action" : step.kind}`} variant="ghost">
                      <input type="hidden" name="id" value={c.id} />
                      <input type="hidden" name="stepId" value={step.id} />
                    </InlineActionForm>
                  )
                : undefined
            }
          />
        </Card>
        <div className="space-y-6">
          <Card title="Summary">
            <dl className="-my-1.5 divide-y divide-border">
              <Row label="Customer">{who}</Row>
              <Row label="Invoice">
                <Link href={invoiceHref(invoice)} className="text-primary underline-offset-4 hover:underline">
                  {invoice.number ?? invoice.externalId}
                </Link>
              </Row>
              <Row label="Amount"><span className="font-semibold tabular-nums">{money(c.amountMinor)}</span></Row>
              {c.recoveredMinor ? <Row label="Recovered"><span className="tabular-nums">{money(c.recoveredMinor)}</span></Row> : null}
              <Row label="Decline category">{categoryLabel(c.declineCategory)}</Row>
              <Row label="Policy">
                <Link href={`/admin/policies/${encodeURIComponent(policy?.key ?? "")}?version=${version.row.version}`} className="text-primary underline-offset-4 hover:underline">
                  {version.policy.name} · v{version.row.version}
                </Link>
                {policy && policy.currentVersion !== version.row.version ? <span className="block text-xs text-muted">current is v{policy.currentVersion}</span> : null}
              </Row>
              <Row label="Segment">{c.segment ?? <span className="text-muted">None (default policy)</span>}</Row>
              <Row label="Opened"><DateTime date={c.openedAt} timeZone={tz} /></Row>
              {c.extraDays ? <Row label="Extended by"><span className="tabular-nums">{c.extraDays} days</span></Row> : null}
              {c.status === "paused" ? <Row label="Paused">{c.pausedUntil ? <>until <DateTime date={c.pausedUntil} timeZone={tz} /></> : "until resumed"}{c.pauseReason ? <span className="block text-xs text-muted">{c.pauseReason}</span> : null}</Row> : null}
              {c.closedAt ? <Row label="Closed"><DateTime date={c.closedAt} timeZone={tz} />{c.closeReason ? <span className="block text-xs text-muted">{c.closeReason}</span> : null}</Row> : null}
              <Row label="Connection">{connection?.name ?? "—"}</Row>
            </dl>
          </Card>
          {canAct ? (
            <Card title="Actions" description="Each action is audited and written to the timeline.">
              <CaseActions
                c={c}
                currentVersion={policy?.currentVersion ?? null}
                caseVersion={version.row.version}
                retryOwner={connection?.retryOwner ?? "dunwell"}
                what={`${money(c.amountMinor)} from ${who}`}
                tomorrow={new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date(now.getTime() + 86_400_000))}
              />
            </Card>
          ) : live ? (
            <p className="text-sm text-muted">Admins and owners can pause, retry, extend or settle this case.</p>
          ) : null}
          <CasePortal caseId={c.id} requests={helpRequests} linkVersion={linkVersion} timeZone={tz} canAct={hasRole(role, "admin")} live={live} />
        </div>
      </div>
    </div>
  );
}
