import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Badge, buttonClassName, Card, EmptyState, Field, Input, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { listConnections } from "@/lib/billing/connections";
import { listCustomers } from "@/lib/billing/queries";
import { getDb } from "@/lib/db/client";
import { DateTime, FilterForm, param, type SearchParams } from "../_components/billing-ui";

export const metadata: Metadata = { title: "Customers" };

const LIMIT = 200;

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("viewer");
  const q = param((await searchParams).q)?.slice(0, 200);
  const db = await getDb();
  const [customers, connections] = await Promise.all([listCustomers(db, workspace.id, { search: q, limit: LIMIT }), listConnections(db, workspace.id)]);
  const nameOf = new Map(connections.map((c) => [c.id, c.name]));

  return (
    <div className="space-y-4">
      <PageHeader title="Customers" description="Subscribers copied from your billing providers. Read-only: they change at the provider and arrive here by webhook or sync." />
      <FilterForm action="/admin/customers" label="Search customers" active={Boolean(q)}>
        <Field label="Search" htmlFor="q" className="w-80">
          <Input id="q" name="q" type="search" defaultValue={q} placeholder="Email, name or provider id" />
        </Field>
      </FilterForm>
      {customers.length === 0 ? (
        <Card>
          {q ? (
            <EmptyState title={`No customer matches “${q}”`} description="Search by email, by name, or by the exact provider id (cus_…)." />
          ) : connections.length === 0 ? (
            <EmptyState
              title="No customers yet"
              description={hasRole(role, "owner") ? "Add a connection to Stripe, Chargebee or the sandbox, then sync it to copy its customers." : "An owner adds a billing connection; customers appear after its first sync."}
              action={hasRole(role, "admin") ? <Link href="/admin/connections" className={buttonClassName({ variant: "secondary" })}>Go to connections</Link> : null}
            />
          ) : (
            <EmptyState
              title="No customers yet"
              description="Run Sync now on a connection to copy its customers, or wait for the provider's next webhook."
              action={hasRole(role, "admin") ? <Link href="/admin/connections" className={buttonClassName({ variant: "secondary" })}>Go to connections</Link> : null}
            />
          )}
        </Card>
      ) : (
        <>
          <Table caption={q ? `Customers matching “${q}”` : "Customers"} hideCaption>
            <THead>
              <Tr>
                <Th>Email</Th>
                <Th>Name</Th>
                <Th>Connection</Th>
                <Th>Country</Th>
                <Th>Time zone</Th>
                <Th>Status</Th>
                <Th>Provider id</Th>
                <Th>Added</Th>
              </Tr>
            </THead>
            <TBody>
              {customers.map((customer) => (
                <Tr key={customer.id}>
                  <Td>
                    {customer.email ? (
                      <Link href={`/admin/invoices?q=${encodeURIComponent(customer.email)}`} className="text-primary underline-offset-4 hover:underline" title="Show this customer's invoices">
                        {customer.email}
                      </Link>
                    ) : (
                      <span className="text-muted">No email</span>
                    )}
                  </Td>
                  <Td>{customer.name ?? <span className="text-muted">—</span>}</Td>
                  <Td className="whitespace-nowrap">{nameOf.get(customer.connectionId) ?? "—"}</Td>
                  <Td>{customer.country ?? <span className="text-muted">—</span>}</Td>
                  <Td className="whitespace-nowrap">{customer.timezone ?? <span className="text-muted">—</span>}</Td>
                  <Td>{customer.delinquent ? <Badge variant="danger">Delinquent</Badge> : <span className="text-muted">Current</span>}</Td>
                  <Td className="font-mono text-xs">{customer.externalId}</Td>
                  <Td>
                    <DateTime date={customer.createdAt} timeZone={workspace.timezone} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {customers.length === LIMIT ? <p className="text-sm text-muted">Showing the first {LIMIT} customers by email; search to find others.</p> : null}
        </>
      )}
    </div>
  );
}
