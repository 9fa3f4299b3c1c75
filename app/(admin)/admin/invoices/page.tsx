import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Field, Input, NativeSelect, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { listInvoices } from "@/lib/billing/queries";
import { getDb } from "@/lib/db/client";
import { formatMoney } from "@/lib/format";
import {
  DateTime,
  FilterForm,
  invoiceHref,
  InvoiceStatusBadge,
  invoiceStatusLabel,
  invoiceStatuses,
  param,
  paramOf,
  type SearchParams,
} from "../_components/billing-ui";
import { ListResults } from "../_components/list-results";

export const metadata: Metadata = { title: "Invoices" };

const LIMIT = 200;

export default async function InvoicesPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("viewer");
  const params = await searchParams;
  const q = param(params.q)?.slice(0, 200);
  const status = paramOf(params.status, invoiceStatuses);
  const invoices = await listInvoices(await getDb(), workspace.id, { status, search: q, limit: LIMIT });
  const filtered = Boolean(q || status);

  return (
    <div className="space-y-4">
      <PageHeader title="Invoices" description="Invoices copied from your billing providers, newest first. Amounts are what is still owed." />
      <FilterForm action="/admin/invoices" label="Filter invoices" active={filtered}>
        <Field label="Search" htmlFor="q" className="w-80">
          <Input id="q" name="q" type="search" defaultValue={q} placeholder="Customer email, invoice number or id" />
        </Field>
        <NativeSelect
          label="Status"
          id="filter-status"
          name="status"
          defaultValue={status ?? ""}
          className="w-48"
          options={[{ value: "", label: "Any status" }, ...invoiceStatuses.map((s) => ({ value: s, label: invoiceStatusLabel(s) }))]}
        />
      </FilterForm>
      <ListResults
        count={invoices.length}
        limit={LIMIT}
        filtered={filtered}
        noun="invoices"
        noMatch={{ title: "No invoices match these filters", description: "Search by customer email, invoice number, or the exact provider id (in_…); or choose another status.", resetHref: "/admin/invoices" }}
        empty={{ title: "No invoices yet", description: "Invoices arrive when a connection syncs or the provider sends a webhook. Connect Stripe, Chargebee or the sandbox and press Sync now.", action: hasRole(role, "admin") ? { href: "/admin/connections", label: "Go to connections" } : null }}
        olderHint="search or filter to find older ones"
      >
        <THead>
          <Tr>
            <Th>Invoice</Th>
            <Th>Customer</Th>
            <Th>Status</Th>
            <Th numeric>Amount remaining</Th>
            <Th>Due</Th>
            <Th>Provider&apos;s next retry</Th>
            <Th numeric>Attempts</Th>
          </Tr>
        </THead>
        <TBody>
          {invoices.map((invoice) => (
            <Tr key={invoice.id}>
              <Td>
                <Link href={invoiceHref(invoice)} className="text-primary underline-offset-4 hover:underline">
                  {invoice.number ?? <span className="font-mono text-xs">{invoice.externalId}</span>}
                </Link>
              </Td>
              <Td>{invoice.customerEmail ?? invoice.customerName ?? <span className="text-muted">—</span>}</Td>
              <Td>
                <InvoiceStatusBadge status={invoice.status} />
              </Td>
              <Td numeric>{formatMoney(invoice.amountRemaining, invoice.currency)}</Td>
              <Td>
                <DateTime date={invoice.dueAt} timeZone={workspace.timezone} />
              </Td>
              <Td>
                <DateTime date={invoice.nextPaymentAttemptAt} timeZone={workspace.timezone} />
              </Td>
              <Td numeric>{invoice.attemptCount}</Td>
            </Tr>
          ))}
        </TBody>
      </ListResults>
    </div>
  );
}
