import { NOTICE_MAX_ATTEMPTS } from "@/lib/messaging/notice-retry";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, Card } from "@/components/ui";
import type { Message } from "@/drizzle/schema";
import { requireOperator } from "@/lib/auth/guard";
import { getDb, type Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { getOutboxMessage } from "@/lib/messaging/outbox";
import { DateTime } from "../../_components/billing-ui";
import { localeLabel, MessageStatusBadge, templateLabel } from "../_components/message-ui";

export const metadata: Metadata = { title: "Message" };

async function findMessage(db: Db, workspaceId: string, id: string): Promise<Message> {
  try {
    return await getOutboxMessage(db, workspaceId, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-3 py-2 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words text-text">{children}</dd>
    </div>
  );
}

/** The message as the recipient would see it: subject, headers, the HTML (sandboxed: no scripts, no forms) and the text part. */
export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { workspace } = await requireOperator("viewer");
  const message = await findMessage(await getDb(), workspace.id, (await params).id);
  const tz = workspace.timezone;
  const headers = Object.entries(message.headers);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/outbox" className="hover:underline">← Outbox</Link>}
        title={message.subject ?? templateLabel(message.template)}
        description={`${templateLabel(message.template)} · ${localeLabel(message.locale)} · to ${message.recipient ?? "no recipient"}`}
      />
      {message.status === "skipped" ? (
        <Alert variant="info" title="Not sent">
          {message.skipReason}
        </Alert>
      ) : null}
      {message.status === "failed" ? (
        <Alert variant="error" title="Sending failed">
          <p className="font-mono text-xs break-words">{message.error}</p>
          <p className="mt-1">{retryNote(message)}</p>
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="space-y-6">
          <Card title="Delivery">
            <dl className="-my-2 divide-y divide-border">
              <Row label="Status">
                <MessageStatusBadge status={message.status} />
              </Row>
              <Row label="Created">
                <DateTime date={message.createdAt} timeZone={tz} />
              </Row>
              <Row label="Sent">
                <DateTime date={message.sentAt} timeZone={tz} />
              </Row>
              <Row label="Channel">{message.channel === "sms" ? "SMS" : "Email"}</Row>
              <Row label="Provider id">{message.providerId ? <span className="font-mono text-xs">{message.providerId}</span> : <span className="text-muted">— (outbox)</span>}</Row>
              <Row label="Attempts">
                <span className="tabular-nums">{message.attempts}</span>
              </Row>
              <Row label="Idempotency key">
                <span className="font-mono text-xs">{message.idempotencyKey}</span>
              </Row>
              {message.caseId ? (
                <Row label="Case">
                  <Link href={`/admin/cases/${message.caseId}`} className="font-mono text-xs text-primary underline-offset-4 hover:underline">
                    {message.caseId}
                  </Link>
                </Row>
              ) : null}
            </dl>
          </Card>
          <Card title="Headers" description="Sent with the message, besides From, To and Subject.">
            {headers.length === 0 ? (
              <p className="text-sm text-muted">None.</p>
            ) : (
              <dl className="-my-2 divide-y divide-border">
                {headers.map(([name, value]) => (
                  <Row key={name} label={name}>
                    <span className="font-mono text-xs">{value}</span>
                  </Row>
                ))}
              </dl>
            )}
          </Card>
        </div>
        <div className="space-y-6">
          {message.html ? (
            <Card title="As the recipient sees it" flush>
              {/* sandbox="" runs no scripts, submits no forms and opens no links from the stored HTML. */}
              <iframe title={`Email: ${message.subject ?? message.template}`} sandbox="" srcDoc={message.html} className="h-[40rem] w-full rounded-b-card border-0 bg-white" />
            </Card>
          ) : (
            <Card title="Content">
              <p className="text-sm text-muted">Nothing was rendered: the message was skipped before it was written.</p>
            </Card>
          )}
          {message.text ? (
            <Card title="Plain-text part" flush>
              <pre tabIndex={0} aria-label="Plain-text part" className="max-h-[28rem] overflow-auto p-4 font-mono text-xs leading-relaxed whitespace-pre-wrap text-text">
                {message.text}
              </pre>
            </Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** Who sends a failed message again, and whether anyone still will. */
function retryNote(message: { idempotencyKey: string; attempts: number }): string {
  if (!message.idempotencyKey.startsWith("portal:")) return "The engine tries the step again later with the same idempotency key, so the customer gets it at most once.";
  if (message.attempts >= NOTICE_MAX_ATTEMPTS) return `Given up after ${message.attempts} attempts; the customer's action is on the case timeline, so follow up by hand.`;
  return "Dunwell sends it again later (with growing pauses) with the same idempotency key, so it arrives at most once.";
}
