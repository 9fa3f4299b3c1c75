import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, Card } from "@/components/ui";
import type { WebhookEvent } from "@/drizzle/schema";
import { requireOperator } from "@/lib/auth/guard";
import { listConnections } from "@/lib/billing/connections";
import { getInboxEvent } from "@/lib/billing/inbox";
import { getDb, type Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { AutoRefresh } from "../../_components/auto-refresh";
import { DateTime, InboxStatusBadge, providerLabels } from "../../_components/billing-ui";
import { InlineActionForm } from "../../_components/inline-action-form";
import { replayInboxEventAction } from "../../billing-actions";

export const metadata: Metadata = { title: "Webhook event" };

async function findEvent(db: Db, workspaceId: string, id: string): Promise<WebhookEvent> {
  try {
    return await getInboxEvent(db, workspaceId, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_minmax(0,1fr)] gap-3 py-2 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 text-text">{children}</dd>
    </div>
  );
}

/** The stored bytes, indented when they are JSON (they always are for our providers). */
function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export default async function InboxEventPage({ params }: { params: Promise<{ id: string }> }) {
  const { workspace } = await requireOperator("admin");
  const db = await getDb();
  const [event, connections] = await Promise.all([findEvent(db, workspace.id, (await params).id), listConnections(db, workspace.id)]);
  const connection = connections.find((c) => c.id === event.connectionId);
  const tz = workspace.timezone;
  // Right after a replay the event is picked up within seconds; follow it until it settles.
  const settling = event.status === "processing" || (event.status === "received" && event.nextAttemptAt === null);

  return (
    <div className="space-y-6">
      <AutoRefresh active={settling} />
      <PageHeader
        eyebrow={<Link href="/admin/inbox" className="hover:underline">← Webhook inbox</Link>}
        title={<span className="font-mono">{event.type}</span>}
        description={`${connection?.name ?? providerLabels[event.provider]} · ${event.providerEventId}`}
      />
      {event.lastError ? (
        <Alert variant={event.status === "failed" ? "error" : "warning"} title={event.status === "failed" ? "Processing gave up" : "The last attempt failed"}>
          <p className="font-mono text-xs break-words">{event.lastError}</p>
          {event.status === "failed" ? <p className="mt-1">Fix the cause (credentials, a missing record at the provider), then replay the event.</p> : null}
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <Card title="Processing">
          <dl className="-my-2 divide-y divide-border">
            <Row label="Status">
              <InboxStatusBadge status={event.status} />
            </Row>
            <Row label="Attempts">
              <span className="tabular-nums">{event.attempts}</span>
            </Row>
            <Row label="Next attempt">
              <DateTime date={event.nextAttemptAt} timeZone={tz} />
            </Row>
            <Row label="Occurred">
              <DateTime date={event.occurredAt} timeZone={tz} />
            </Row>
            <Row label="Received">
              <DateTime date={event.receivedAt} timeZone={tz} />
            </Row>
            <Row label="Processed">
              <DateTime date={event.processedAt} timeZone={tz} />
            </Row>
            <Row label="Came from">{event.source === "sync" ? "A sync (the provider could not deliver it)" : "A webhook"}</Row>
            <Row label="Dunwell id">
              <span className="font-mono text-xs">{event.id}</span>
            </Row>
          </dl>
          <div className="mt-4 space-y-2 border-t border-border pt-4">
            <p className="text-sm text-muted">Replay resets the attempts and processes the event again. Processing converges, so replaying a processed event is safe.</p>
            <InlineActionForm action={replayInboxEventAction} submitLabel="Replay event">
              <input type="hidden" name="id" value={event.id} />
            </InlineActionForm>
          </div>
        </Card>
        <Card title="Payload" description="As the provider sent it." flush>
          <pre tabIndex={0} aria-label="Event payload (JSON)" className="max-h-[36rem] overflow-auto p-4 font-mono text-xs leading-relaxed text-text">
            {prettyJson(event.body)}
          </pre>
        </Card>
      </div>
    </div>
  );
}
