import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { buttonClassName, Field, Input, NativeSelect, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { listCases } from "@/lib/dunning/queries";
import { formatMoney } from "@/lib/format";
import { ListResults } from "../_components/list-results";
import { DateTime, FilterForm, param, paramOf, type SearchParams } from "../_components/billing-ui";
import { CaseStatusBadge, caseStatuses, caseStatusLabel, categoryLabel, declineCategories } from "../_components/dunning-ui";

export const metadata: Metadata = { title: "Cases" };

const LIMIT = 200;
const ages = [1, 3, 7, 14, 30, 60] as const;

/** "49.5" → 49.5: amount filters are typed in major units and compared in each case's own currency. */
function majorOf(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,12}(\.\d{1,3})?$/.test(value)) return undefined;
  return Number(value);
}

export default async function CasesPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("viewer");
  const params = await searchParams;
  const db = await getDb();
  const q = param(params.q)?.slice(0, 200);
  const status = paramOf(params.status, caseStatuses);
  const category = paramOf(params.category, declineCategories);
  const min = param(params.min);
  const max = param(params.max);
  const age = ages.find((a) => String(a) === param(params.age));
  const badAmount = (min !== undefined && majorOf(min) === undefined) || (max !== undefined && majorOf(max) === undefined);
  const now = (await workspaceClock(db, workspace.id)).now();
  const cases = await listCases(db, workspace.id, { status, category, minAmount: majorOf(min), maxAmount: majorOf(max), minAgeDays: age, search: q, limit: LIMIT, now });
  const filtered = Boolean(q || status || category || min || max || age);
  const tz = workspace.timezone;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Cases"
        description="One case per failed invoice: what Dunwell is doing to recover it and what comes next. Newest first."
        actions={
          <Link href="/admin/policies" className={buttonClassName({ variant: "secondary" })}>
            Policies
          </Link>
        }
      />
      <FilterForm action="/admin/cases" label="Filter cases" active={filtered}>
        <Field label="Search" htmlFor="q" className="w-64">
          <Input id="q" name="q" type="search" defaultValue={q} placeholder="Customer email or invoice number" />
        </Field>
        <NativeSelect
          label="Status"
          id="filter-status"
          name="status"
          defaultValue={status ?? ""}
          className="w-36"
          options={[{ value: "", label: "Any status" }, ...caseStatuses.map((s) => ({ value: s, label: caseStatusLabel(s) }))]}
        />
        <NativeSelect
          label="Decline category"
          id="filter-category"
          name="category"
          defaultValue={category ?? ""}
          className="w-52"
          options={[{ value: "", label: "Any category" }, ...declineCategories.map((c) => ({ value: c, label: categoryLabel(c) }))]}
        />
        <Field label="Amount from" htmlFor="filter-min" className="w-28">
          <Input id="filter-min" name="min" inputMode="decimal" defaultValue={min} placeholder="0.00" className="text-right tabular-nums" />
        </Field>
        <Field label="to" htmlFor="filter-max" className="w-28">
          <Input id="filter-max" name="max" inputMode="decimal" defaultValue={max} placeholder="any" className="text-right tabular-nums" />
        </Field>
        <NativeSelect
          label="Opened"
          id="filter-age"
          name="age"
          defaultValue={age ? String(age) : ""}
          className="w-44"
          options={[{ value: "", label: "Any time" }, ...ages.map((a) => ({ value: String(a), label: `${a}+ ${a === 1 ? "day" : "days"} ago` }))]}
        />
      </FilterForm>
      {badAmount ? (
        <p role="alert" className="text-sm font-medium text-danger">
          Amounts are numbers in the invoice currency, like 49 or 49.50; the invalid one was ignored.
        </p>
      ) : null}
      <ListResults
        count={cases.length}
        limit={LIMIT}
        filtered={filtered}
        noun="cases"
        noMatch={{ title: "No cases match these filters", description: "Search by customer email or invoice number, widen the amount range, or choose another status.", resetHref: "/admin/cases" }}
        empty={{ title: "No dunning cases yet", description: "A case opens when an invoice payment fails. With the sandbox connection, sync it to load failed demo invoices; then advance the test clock to watch the plan run.", action: hasRole(role, "admin") ? { href: "/admin/connections", label: "Go to connections" } : null }}
        olderHint="filter to find older ones"
      >
        <THead>
          <Tr>
            <Th>Customer</Th>
            <Th>Invoice</Th>
            <Th numeric>Amount</Th>
            <Th>Status</Th>
            <Th>Decline category</Th>
            <Th>Opened</Th>
            <Th>Next step due</Th>
          </Tr>
        </THead>
        <TBody>
          {cases.map((c) => (
            <Tr key={c.id}>
              <Td className="max-w-64">
                <Link href={`/admin/cases/${encodeURIComponent(c.id)}`} className="block truncate text-primary underline-offset-4 hover:underline">
                  {c.customerEmail ?? c.customerName ?? "Customer without email"}
                </Link>
              </Td>
              <Td>{c.invoiceNumber ?? <span className="font-mono text-xs">{c.invoiceExternalId}</span>}</Td>
              <Td numeric>
                {formatMoney(c.amountMinor, c.currency)}
                {c.recoveredMinor > 0 && c.recoveredMinor < c.amountMinor ? <span className="block text-xs text-muted">{formatMoney(c.recoveredMinor, c.currency)} recovered</span> : null}
              </Td>
              <Td>
                <CaseStatusBadge status={c.status} />
              </Td>
              <Td className="whitespace-nowrap">{categoryLabel(c.declineCategory)}</Td>
              <Td>
                <DateTime date={c.openedAt} timeZone={tz} />
              </Td>
              <Td>
                {c.status === "open" || c.status === "paused" ? <DateTime date={c.nextStepAt} timeZone={tz} /> : <span className="text-muted">Closed</span>}
              </Td>
            </Tr>
          ))}
        </TBody>
      </ListResults>
    </div>
  );
}
