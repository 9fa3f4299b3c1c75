import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";
import type { InboxStatus, InvoiceStatus, ProviderKind } from "@/drizzle/schema";
import { Badge, Button, type BadgeVariant } from "@/components/ui";
import { formatDateTime } from "@/lib/format";

/** Shared bits of the billing admin pages: labels, status badges, URL filters, times. */

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One value of a search param (the first, if repeated), trimmed; empty → undefined. */
export function param(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** The param when it is one of `allowed`, else undefined (an unknown filter shows everything). */
export function paramOf<T extends string>(value: string | string[] | undefined, allowed: readonly T[]): T | undefined {
  const v = param(value);
  return allowed.find((a) => a === v);
}

export const providerLabels: Record<ProviderKind, string> = { stripe: "Stripe", chargebee: "Chargebee", sandbox: "Sandbox" };

export const inboxStatuses = ["received", "processing", "processed", "ignored", "failed"] as const satisfies readonly InboxStatus[];
const inboxVariants: Record<InboxStatus, BadgeVariant> = { received: "primary", processing: "primary", processed: "success", ignored: "neutral", failed: "danger" };
const inboxLabels: Record<InboxStatus, string> = { received: "Received", processing: "Processing", processed: "Processed", ignored: "Ignored", failed: "Failed" };

export function InboxStatusBadge({ status }: { status: InboxStatus }) {
  return <Badge variant={inboxVariants[status]}>{inboxLabels[status]}</Badge>;
}
export const inboxStatusLabel = (status: InboxStatus) => inboxLabels[status];

export const invoiceStatuses = ["open", "paid", "uncollectible", "void", "draft"] as const satisfies readonly InvoiceStatus[];
const invoiceVariants: Record<InvoiceStatus, BadgeVariant> = { draft: "neutral", open: "warning", paid: "success", void: "neutral", uncollectible: "danger" };
const invoiceLabels: Record<InvoiceStatus, string> = { draft: "Draft", open: "Open", paid: "Paid", void: "Void", uncollectible: "Uncollectible" };

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge variant={invoiceVariants[status]}>{invoiceLabels[status]}</Badge>;
}
export const invoiceStatusLabel = (status: InvoiceStatus) => invoiceLabels[status];

/**
 * Link to an invoice's page. It carries the provider id because lib/billing/queries.ts has no
 * lookup by Dunwell id yet: the page finds the invoice through listInvoices' exact-id search.
 */
export const invoiceHref = (invoice: { id: string; externalId: string }) =>
  `/admin/invoices/${encodeURIComponent(invoice.id)}?ref=${encodeURIComponent(invoice.externalId)}`;

/** A time in the workspace's zone, machine-readable too; "—" when there is none. */
export function DateTime({ date, timeZone }: { date: Date | null | undefined; timeZone: string }) {
  if (!date) return <span className="text-muted">—</span>;
  return <time dateTime={date.toISOString()} className="whitespace-nowrap">{formatDateTime(date, timeZone)}</time>;
}

/**
 * A GET form whose fields become the URL's search params (shareable, back-button friendly).
 * next/form navigates client-side with JavaScript and is a plain form without it.
 */
export function FilterForm({ action, label, children, active }: { action: string; label: string; children: ReactNode; active: boolean }) {
  return (
    <Form action={action} role="search" aria-label={label} className="flex flex-wrap items-end gap-3">
      {children}
      <Button type="submit" variant="secondary">Apply</Button>
      {active ? (
        <Link href={action} className="inline-flex h-9 items-center rounded-control px-2 text-sm text-muted underline-offset-4 hover:text-text hover:underline">
          Clear filters
        </Link>
      ) : null}
    </Form>
  );
}

/** A link that looks like a filter chip; aria-current marks the chosen one. */
export function FilterChip({ href, current, children }: { href: string; current: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={current ? "true" : undefined}
      className={[
        "inline-flex h-7 items-center gap-1.5 rounded-full border px-3 text-sm whitespace-nowrap",
        current ? "border-primary bg-primary-subtle font-medium text-primary" : "border-border bg-surface text-muted hover:bg-surface-muted hover:text-text",
      ].join(" ")}
    >
      {children}
    </Link>
  );
}

/** A search query string from the non-empty entries. */
export function queryString(values: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1])));
  const text = search.toString();
  return text ? `?${text}` : "";
}
