import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Field, Input, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { countOutboxByStatus, listOutbox, messageStatuses } from "@/lib/messaging/outbox";
import { ListResults } from "../_components/list-results";
import { DateTime, FilterChip, FilterForm, param, paramOf, queryString, type SearchParams } from "../_components/billing-ui";
import { localeLabel, MessageStatusBadge, messageStatusLabel, templateLabel } from "./_components/message-ui";

export const metadata: Metadata = { title: "Outbox" };

const LIMIT = 100;

export default async function OutboxPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace } = await requireOperator("viewer");
  const params = await searchParams;
  const db = await getDb();
  const status = paramOf(params.status, messageStatuses);
  const search = param(params.q)?.slice(0, 200);
  const [rows, counts] = await Promise.all([listOutbox(db, workspace.id, { status, search, limit: LIMIT }), countOutboxByStatus(db, workspace.id)]);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const filtered = Boolean(status || search);
  const chipHref = (s?: string) => `/admin/outbox${queryString({ status: s, q: search })}`;
  const viaResend = getEnv().emailTransport === "resend";

  return (
    <div className="space-y-4">
      <PageHeader
        title="Outbox"
        description={
          viaResend
            ? "Every message sent through Resend, skipped by a rule or failed, with what the customer received. Delivery, bounces and complaints follow Resend's webhooks."
            : "Every message Dunwell would send, as the customer would read it. No email provider is configured, so messages stay here instead of being delivered."
        }
      />
      <nav aria-label="Filter by status" className="flex flex-wrap gap-2">
        <FilterChip href={chipHref()} current={!status}>
          All <span className="tabular-nums">{total.toLocaleString("en")}</span>
        </FilterChip>
        {messageStatuses.map((s) => (
          <FilterChip key={s} href={chipHref(s)} current={status === s}>
            {messageStatusLabel(s)} <span className="tabular-nums">{counts[s].toLocaleString("en")}</span>
          </FilterChip>
        ))}
      </nav>
      <FilterForm action="/admin/outbox" label="Search messages" active={filtered}>
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <Field label="Recipient, subject or template" htmlFor="outbox-q" className="w-80">
          <Input id="outbox-q" name="q" defaultValue={search} placeholder="jane@example.com" />
        </Field>
      </FilterForm>
      <ListResults
        count={rows.length}
        limit={LIMIT}
        filtered={filtered}
        noun="messages"
        noMatch={{ title: "No messages match", description: "Try another status or search.", resetHref: "/admin/outbox" }}
        empty={{ title: "No messages yet", description: "Messages appear here when a dunning case reaches a message step. Open a case in the sandbox, or advance the test clock, to see the first ones.", action: { href: "/admin/cases", label: "Go to cases" } }}
        olderHint="search or filter to find older ones"
      >
        <THead>
          <Tr>
            <Th>Time</Th>
            <Th>Recipient</Th>
            <Th>Template</Th>
            <Th>Language</Th>
            <Th>Status</Th>
            <Th>Why skipped or failed</Th>
          </Tr>
        </THead>
        <TBody>
          {rows.map((m) => (
            <Tr key={m.id}>
              <Td>
                <Link href={`/admin/outbox/${m.id}`} className="text-primary underline-offset-4 hover:underline">
                  <DateTime date={m.sentAt ?? m.createdAt} timeZone={workspace.timezone} />
                </Link>
              </Td>
              <Td className="max-w-56">
                <span className="block truncate" title={m.recipient ?? undefined}>
                  {m.recipient ?? <span className="text-muted">none</span>}
                </span>
                {m.channel === "sms" ? <span className="text-xs text-muted">SMS</span> : null}
              </Td>
              <Td>
                <Link href={`/admin/outbox/${m.id}`} className="text-primary underline-offset-4 hover:underline">
                  {templateLabel(m.template)}
                </Link>
              </Td>
              <Td>{localeLabel(m.locale)}</Td>
              <Td>
                <MessageStatusBadge status={m.status} />
              </Td>
              <Td className="max-w-xs">
                {m.skipReason || m.error ? (
                  <span className={`block truncate ${m.error ? "text-danger" : "text-muted"}`} title={m.skipReason ?? m.error ?? undefined}>
                    {m.skipReason ?? m.error}
                  </span>
                ) : (
                  <span className="text-muted">—</span>
                )}
              </Td>
            </Tr>
          ))}
        </TBody>
      </ListResults>
    </div>
  );
}
