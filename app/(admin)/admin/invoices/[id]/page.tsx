import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/admin/page-header";
import { Badge, Card, EmptyState, Table, TBody, Td, Th, THead, Tr, type BadgeVariant } from "@/components/ui";
import type { AttemptStatus } from "@/drizzle/schema";
import { requireOperator } from "@/lib/auth/guard";
import { listConnections } from "@/lib/billing/connections";
import { listAttemptsOfInvoice, listInvoices, listPaymentMethodsOfCustomer } from "@/lib/billing/queries";
import { getDb, type Db } from "@/lib/db/client";
import { formatMoney } from "@/lib/format";
import { DateTime, InvoiceStatusBadge, param, type SearchParams } from "../../_components/billing-ui";

export const metadata: Metadata = { title: "Invoice" };

/** queries.ts has no lookup by Dunwell id: search by the exact provider id, then match ours. */
async function findInvoice(db: Db, workspaceId: string, id: string, externalId: string | undefined) {
  if (!externalId) notFound();
  const rows = await listInvoices(db, workspaceId, { search: externalId });
  return rows.find((row) => row.id === id && row.externalId === externalId) ?? notFound();
}

const attemptVariants: Record<AttemptStatus, BadgeVariant> = { succeeded: "success", failed: "danger", requires_action: "warning", pending: "neutral" };
const attemptLabels: Record<AttemptStatus, string> = { succeeded: "Succeeded", failed: "Failed", requires_action: "Needs authentication", pending: "Pending" };
const initiators = { provider: "Provider", dunwell: "Dunwell", customer: "Customer" } as const;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-2 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd className="text-right text-text">{children}</dd>
    </div>
  );
}

const Code = ({ value }: { value: string | null }) => (value ? <span className="font-mono text-xs">{value}</span> : <span className="text-muted">—</span>);

export default async function InvoicePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { workspace } = await requireOperator("viewer");
  const db = await getDb();
  const invoice = await findInvoice(db, workspace.id, (await params).id, param((await searchParams).ref));
  const [attempts, methods, connections] = await Promise.all([
    listAttemptsOfInvoice(db, workspace.id, invoice.id),
    listPaymentMethodsOfCustomer(db, workspace.id, invoice.customerId),
    listConnections(db, workspace.id),
  ]);
  const tz = workspace.timezone;
  const now = new Date();
  const money = (minor: number) => formatMoney(minor, invoice.currency);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/invoices" className="hover:underline">← Invoices</Link>}
        title={<span className="inline-flex items-center gap-3">Invoice {invoice.number ?? invoice.externalId} <InvoiceStatusBadge status={invoice.status} /></span>}
        description={`${invoice.customerEmail ?? invoice.customerName ?? "Customer without email"} · ${connections.find((c) => c.id === invoice.connectionId)?.name ?? "Unknown connection"}`}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,20rem)_minmax(0,1fr)]">
        <Card title="Summary">
          <dl className="-my-2 divide-y divide-border">
            <Row label="Amount due"><span className="tabular-nums">{money(invoice.amountDue)}</span></Row>
            <Row label="Remaining"><span className="font-semibold tabular-nums">{money(invoice.amountRemaining)}</span></Row>
            <Row label="Issued"><DateTime date={invoice.issuedAt} timeZone={tz} /></Row>
            <Row label="Due"><DateTime date={invoice.dueAt} timeZone={tz} /></Row>
            <Row label="Provider's next retry"><DateTime date={invoice.nextPaymentAttemptAt} timeZone={tz} /></Row>
            <Row label="Attempts (provider)"><span className="tabular-nums">{invoice.attemptCount}</span></Row>
            <Row label="Provider id"><Code value={invoice.externalId} /></Row>
          </dl>
        </Card>
        <div className="space-y-6">
          <section aria-labelledby="attempts" className="space-y-2">
            <h2 id="attempts" className="text-sm font-semibold text-text">Payment attempts</h2>
            {attempts.length === 0 ? (
              <Card><EmptyState title="No payment attempts recorded" description="Attempts appear when the provider reports a charge on this invoice, or when Dunwell retries it." /></Card>
            ) : (
              <Table caption="Payment attempts, newest first" hideCaption>
                <THead>
                  <Tr>
                    <Th>Time</Th>
                    <Th>Outcome</Th>
                    <Th numeric>Amount</Th>
                    <Th>Decline code</Th>
                    <Th>Advice code</Th>
                    <Th>Network advice</Th>
                    <Th>By</Th>
                  </Tr>
                </THead>
                <TBody>
                  {attempts.map((a) => (
                    <Tr key={a.id}>
                      <Td><DateTime date={a.attemptedAt} timeZone={tz} /></Td>
                      <Td>
                        <Badge variant={attemptVariants[a.status]}>{attemptLabels[a.status]}</Badge>
                        {a.failureMessage ? <p className="mt-0.5 max-w-56 text-xs text-muted">{a.failureMessage}</p> : null}
                      </Td>
                      <Td numeric>{formatMoney(a.amount, a.currency)}</Td>
                      <Td><Code value={a.declineCode ?? a.failureCode} /></Td>
                      <Td><Code value={a.adviceCode} /></Td>
                      <Td><Code value={a.networkAdviceCode ?? a.networkDeclineCode} /></Td>
                      <Td>{initiators[a.initiatedBy]}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </section>
          <section aria-labelledby="methods" className="space-y-2">
            <h2 id="methods" className="text-sm font-semibold text-text">Customer&apos;s payment methods</h2>
            {methods.length === 0 ? (
              <Card><EmptyState title="No payment method on file" description="The customer adds one in the portal; Dunwell's messages link there." /></Card>
            ) : (
              <Table caption="Payment methods of the customer" hideCaption>
                <THead>
                  <Tr>
                    <Th>Card</Th>
                    <Th>Expires</Th>
                    <Th>Status</Th>
                  </Tr>
                </THead>
                <TBody>
                  {methods.map((m) => {
                    const expired = m.expYear !== null && m.expMonth !== null && (m.expYear < now.getUTCFullYear() || (m.expYear === now.getUTCFullYear() && m.expMonth < now.getUTCMonth() + 1));
                    return (
                      <Tr key={m.id}>
                        <Td className="whitespace-nowrap">
                          <span className="capitalize">{m.brand ?? m.type}</span>
                          {m.last4 ? <span className="ml-1.5 font-mono tabular-nums"><span aria-hidden="true">••••</span><span className="sr-only">ending in</span> {m.last4}</span> : null}
                        </Td>
                        <Td className="tabular-nums">
                          {m.expMonth && m.expYear ? `${String(m.expMonth).padStart(2, "0")}/${String(m.expYear % 100).padStart(2, "0")}` : "—"}
                          {expired ? <Badge variant="danger" className="ml-2">Expired</Badge> : null}
                        </Td>
                        <Td className="space-x-1.5">
                          {m.isDefault ? <Badge variant="primary">Default</Badge> : null}
                          {m.status === "detached" ? <Badge>Removed</Badge> : <Badge variant="success">Active</Badge>}
                        </Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </Table>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
