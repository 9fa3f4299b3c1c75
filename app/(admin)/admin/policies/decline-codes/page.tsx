import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { buttonClassName, Card, EmptyState, Field, Input, NativeSelect, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { declineCodeTable, type CodeField, type CodeStrength } from "@/lib/dunning/decline-codes";
import { FilterForm, param, paramOf, type SearchParams } from "../../_components/billing-ui";
import { categoryLabel, declineCategories } from "../../_components/dunning-ui";

export const metadata: Metadata = { title: "Decline codes" };

const fieldLabels: Record<CodeField, string> = {
  declineCode: "decline code",
  failureCode: "failure code",
  adviceCode: "advice code",
  networkDeclineCode: "network response code",
  networkAdviceCode: "Mastercard merchant advice code",
};

const strengthLabels: Record<CodeStrength, string> = {
  override: "Decides the outcome whatever else the attempt says.",
  restrict: "Turns a retryable outcome into “card update needed”; never loosens a stricter one.",
  code: "The provider's own code: the main signal.",
  hint: "Used only when no specific decline or failure code is known.",
};

/** The classifier's table, read-only: what each code means for retrying. */
export default async function DeclineCodesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator("viewer");
  const params = await searchParams;
  const q = param(params.q)?.toLowerCase().slice(0, 80);
  const category = paramOf(params.category, declineCategories);
  const filtered = Boolean(q || category);
  const groups = declineCodeTable
    .map((group, index) => ({
      ...group,
      index,
      rows: group.rows.filter((r) => (!category || r.category === category) && (!q || r.code.toLowerCase().includes(q) || r.reason.toLowerCase().includes(q))),
    }))
    .filter((group) => group.rows.length > 0);

  return (
    <div className="space-y-4">
      <PageHeader
        eyebrow={<Link href="/admin/policies" className="hover:underline">← Policies</Link>}
        title="Decline codes"
        description="How Dunwell classifies a failed payment. Groups are listed in the order the classifier trusts them; the category decides whether and when a retry is allowed. Codes match case-insensitively."
      />
      <FilterForm action="/admin/policies/decline-codes" label="Filter decline codes" active={filtered}>
        <Field label="Code or meaning" htmlFor="q" className="w-72">
          <Input id="q" name="q" type="search" defaultValue={q} placeholder="insufficient_funds, 51, expired…" />
        </Field>
        <NativeSelect
          label="Category"
          id="filter-category"
          name="category"
          defaultValue={category ?? ""}
          className="w-56"
          options={[{ value: "", label: "Any category" }, ...declineCategories.map((c) => ({ value: c, label: categoryLabel(c) }))]}
        />
      </FilterForm>
      {groups.length === 0 ? (
        <Card>
          <EmptyState
            title="No code matches"
            description="An unknown code is classified from the other signals of the attempt, or as a soft decline with a conservative retry cap."
            action={<Link href="/admin/policies/decline-codes" className={buttonClassName({ variant: "secondary" })}>Show all codes</Link>}
          />
        </Card>
      ) : (
        groups.map((group) => (
          <section key={group.index} aria-labelledby={`group-${group.index}`} className="space-y-1.5">
            <div className="flex flex-wrap items-baseline justify-between gap-x-4">
              <h2 id={`group-${group.index}`} className="text-sm font-semibold text-text">
                {group.title}
              </h2>
              <a href={group.url} className="text-xs text-primary underline-offset-4 hover:underline" rel="noreferrer" target="_blank">
                Source<span className="sr-only"> for {group.title} (opens in a new tab)</span>
              </a>
            </div>
            <p className="text-xs text-muted">
              Reads the {fieldLabels[group.field]}. {strengthLabels[group.strength]}
            </p>
            <Table caption={group.title} hideCaption>
              <THead>
                <Tr>
                  <Th className="w-48">Code</Th>
                  <Th className="w-48">Category</Th>
                  <Th>Meaning</Th>
                  <Th numeric>Retry cap</Th>
                  <Th numeric>Wait</Th>
                </Tr>
              </THead>
              <TBody>
                {group.rows.map((row) => (
                  <Tr key={row.code}>
                    <Td className="font-mono text-xs">
                      {row.code}
                      {row.generic ? <span className="ml-1.5 font-sans text-muted">(generic)</span> : null}
                    </Td>
                    <Td className="whitespace-nowrap">{categoryLabel(row.category)}</Td>
                    <Td className="text-muted">{row.reason}</Td>
                    <Td numeric>{row.maxRetries ?? <span className="text-muted">policy</span>}</Td>
                    <Td numeric>{row.retryAfterHours ? `${row.retryAfterHours} h` : <span className="text-muted">—</span>}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </section>
        ))
      )}
    </div>
  );
}
