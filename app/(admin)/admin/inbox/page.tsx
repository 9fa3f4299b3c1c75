import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Field, Input, NativeSelect, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { chargebeeEvents, listConnections, stripeEvents } from "@/lib/billing/connections";
import { countInboxByStatus, listInbox } from "@/lib/billing/inbox";
import { getDb } from "@/lib/db/client";
import {
  DateTime,
  FilterChip,
  FilterForm,
  InboxStatusBadge,
  inboxStatusLabel,
  inboxStatuses,
  param,
  paramOf,
  providerLabels,
  queryString,
  type SearchParams,
} from "../_components/billing-ui";
import { ListResults } from "../_components/list-results";

export const metadata: Metadata = { title: "Webhook inbox" };

const LIMIT = 100;

export default async function InboxPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace } = await requireOperator("admin");
  const params = await searchParams;
  const db = await getDb();
  const connections = await listConnections(db, workspace.id);
  const connectionId = connections.find((c) => c.id === param(params.connection))?.id;
  const type = param(params.type)?.slice(0, 120);
  const status = paramOf(params.status, inboxStatuses);
  const [events, counts] = await Promise.all([listInbox(db, workspace.id, { connectionId, type, status, limit: LIMIT }), countInboxByStatus(db, workspace.id)]);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const nameOf = new Map(connections.map((c) => [c.id, c.name]));
  const filtered = Boolean(connectionId || type || status);
  const chipHref = (s?: string) => `/admin/inbox${queryString({ connection: connectionId, type, status: s })}`;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Webhook inbox"
        description="Every event the providers sent or the sync fetched, stored as received. Failed events are retried with backoff; replay one after fixing its cause."
      />
      <nav aria-label="Filter by status" className="flex flex-wrap gap-2">
        <FilterChip href={chipHref()} current={!status}>
          All <span className="tabular-nums">{total.toLocaleString("en")}</span>
        </FilterChip>
        {inboxStatuses.map((s) => (
          <FilterChip key={s} href={chipHref(s)} current={status === s}>
            {inboxStatusLabel(s)} <span className="tabular-nums">{counts[s].toLocaleString("en")}</span>
          </FilterChip>
        ))}
      </nav>
      <FilterForm action="/admin/inbox" label="Filter events" active={filtered}>
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <NativeSelect
          label="Connection"
          id="filter-connection"
          name="connection"
          defaultValue={connectionId ?? ""}
          className="w-56"
          options={[{ value: "", label: "All connections" }, ...connections.map((c) => ({ value: c.id, label: c.name }))]}
        />
        <Field label="Event type" htmlFor="filter-type" className="w-72">
          <Input id="filter-type" name="type" defaultValue={type} list="event-types" placeholder="invoice.payment_failed" className="font-mono" />
        </Field>
        <datalist id="event-types">
          {[...stripeEvents, ...chargebeeEvents].map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </FilterForm>
      <ListResults
        count={events.length}
        limit={LIMIT}
        filtered={filtered}
        noun="events"
        noMatch={{ title: "No events match these filters", description: "Try another status, type or connection.", resetHref: "/admin/inbox" }}
        empty={{ title: "No events received yet", description: "Register each connection's webhook URL at the provider (shown on the Connections page), or press Sync now there to fetch events the provider could not deliver.", action: { href: "/admin/connections", label: "Go to connections" } }}
        olderHint="narrow the filters to see older ones"
      >
        <THead>
          <Tr>
            <Th>Received</Th>
            <Th>Connection</Th>
            <Th>Type</Th>
            <Th>Status</Th>
            <Th numeric>Attempts</Th>
            <Th>Last error</Th>
          </Tr>
        </THead>
        <TBody>
          {events.map((event) => (
            <Tr key={event.id}>
              <Td>
                <DateTime date={event.receivedAt} timeZone={workspace.timezone} />
              </Td>
              <Td className="whitespace-nowrap">
                {nameOf.get(event.connectionId) ?? providerLabels[event.provider]}
                {event.source === "sync" ? <span className="ml-1.5 text-xs text-muted">via sync</span> : null}
              </Td>
              <Td>
                <Link href={`/admin/inbox/${event.id}`} className="font-mono text-xs text-primary underline-offset-4 hover:underline">
                  {event.type}
                </Link>
              </Td>
              <Td>
                <InboxStatusBadge status={event.status} />
              </Td>
              <Td numeric>{event.attempts}</Td>
              <Td className="max-w-xs">
                {event.lastError ? (
                  <span className="block truncate text-danger" title={event.lastError}>
                    {event.lastError}
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
