import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, buttonClassName, Card, Field, Input } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { listConnections } from "@/lib/billing/connections";
import { getDb } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { ActionForm } from "../_components/action-form";
import { DateTime, providerLabels } from "../_components/billing-ui";
import { advanceClockAction } from "../dunning-actions";

export const metadata: Metadata = { title: "Test clock" };

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-2 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd className="text-right text-text">{children}</dd>
    </div>
  );
}

/** "3 days 4 h" from milliseconds. */
function duration(ms: number): string {
  const hours = Math.round(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (hours === 0) return "none (real time)";
  return [days ? `${days} ${days === 1 ? "day" : "days"}` : null, rest ? `${rest} h` : null].filter(Boolean).join(" ");
}

export default async function ClockPage() {
  const { workspace } = await requireOperator("admin");
  const db = await getDb();
  const [connections, clock] = await Promise.all([listConnections(db, workspace.id), workspaceClock(db, workspace.id)]);
  const live = connections.filter((c) => c.provider !== "sandbox");
  const now = clock.now();
  const offset = workspace.clockOffsetMs;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Test clock"
        description="Move this sandbox workspace's time forward, as Stripe's test clocks do, to watch weeks of dunning happen in a minute: retries, messages and final actions fall due, run, and show on the case timelines."
      />
      {live.length ? (
        <Alert variant="warning" title="Only sandbox workspaces can move time">
          This workspace is connected to {live.map((c) => `${c.name} (${providerLabels[c.provider]})`).join(", ")}. Advancing its clock would charge real cards and send real messages early, so
          Dunwell refuses. Try it in a workspace whose only connections are sandbox ones.
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <Card title="Time in this workspace">
          <dl className="-my-2 divide-y divide-border">
            <Row label="Workspace now">
              <DateTime date={now} timeZone={workspace.timezone} />
            </Row>
            <Row label="Real time">
              <DateTime date={new Date()} timeZone={workspace.timezone} />
            </Row>
            <Row label="Ahead by">{duration(offset)}</Row>
            <Row label="Time zone">{workspace.timezone}</Row>
          </dl>
          <p className="mt-3 text-xs text-muted">The clock only moves forward; each move is in the audit log.</p>
        </Card>
        {live.length ? null : (
          <Card title="Advance" description="Moves the clock, then runs one pass of the engine so the effect shows at once.">
            <ActionForm action={advanceClockAction} submitLabel="Advance clock" className="space-y-3">
              <Field label="Days" htmlFor="advance-days" description="1 to 366. Sandbox webhooks and the inbox run too, as the scheduler would." className="w-48">
                <Input id="advance-days" name="days" type="number" min={1} max={366} step={1} defaultValue={1} required className="text-right tabular-nums" />
              </Field>
            </ActionForm>
            <ol className="mt-4 list-decimal space-y-1 pl-5 text-sm text-muted">
              <li>Steps now due run: retries charge the sandbox card, messages go to the outbox, final actions apply.</li>
              <li>The sandbox delivers the webhooks those charges caused.</li>
              <li>The inbox processes them: cases close on payment or re-plan after another failure.</li>
            </ol>
            {connections.length === 0 ? (
              <p className="mt-3 text-sm text-muted">
                No connection yet, so nothing will run.{" "}
                <Link href="/admin/connections" className={buttonClassName({ variant: "ghost", size: "sm" })}>
                  Add the sandbox
                </Link>
              </p>
            ) : null}
          </Card>
        )}
      </div>
    </div>
  );
}
