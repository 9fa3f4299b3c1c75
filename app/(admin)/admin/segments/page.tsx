import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, buttonClassName, Card } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listPolicies, listSegments } from "@/lib/dunning/policies";
import { conditionText, countSegmentReach, MAX_CUSTOMERS_COUNTED } from "@/lib/dunning/segment-store";
import type { SegmentCondition } from "@/lib/dunning/segments";
import { param, type SearchParams } from "../_components/billing-ui";
import { segmentFieldLabels, segmentOpLabels } from "../_components/dunning-ui";
import { SegmentRuleForm } from "./_components/segment-rule-form";

export const metadata: Metadata = { title: "Segments" };

const doneMessages: Record<string, (name: string) => string> = {
  added: (name) => `Added “${name}” at the end of the list.`,
  saved: (name) => `Saved “${name}”.`,
  condition_removed: (name) => `Removed a condition from “${name}”.`,
  moved: (name) => `Moved “${name}”.`,
  deleted: (name) => `Deleted “${name}”.`,
};

const sentence = (conditions: SegmentCondition[]) =>
  conditions.length ? conditions.map((c) => `${segmentFieldLabels[c.field]} ${segmentOpLabels[c.op]} ${conditionText(c.value)}`).join(" and ") : "Every customer";

const countText = (c: { matching: number; first: number }) => `${c.matching.toLocaleString("en")} match, ${c.first.toLocaleString("en")} not taken by an earlier segment`;

export default async function SegmentsPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("viewer");
  const params = await searchParams;
  const db = await getDb();
  const [rows, policies] = await Promise.all([listSegments(db, workspace.id), listPolicies(db, workspace.id)]);
  const segments = rows.map((r) => ({ id: r.id, name: r.name, policyKey: r.policyKey, conditions: r.conditions as SegmentCondition[] }));
  // The extra empty rule last: the customers no segment takes (they get the default policy).
  const reach = await countSegmentReach(db, workspace.id, [...segments, { conditions: [] }]);
  const rest = reach.rules.at(-1)!;
  const canEdit = hasRole(role, "admin");
  const policyKeys = policies.map((p) => p.key);
  const fallback = policies.find((p) => p.isDefault);
  const done = doneMessages[param(params.done) ?? ""]?.(param(params.name)?.slice(0, 80) ?? "the segment");

  return (
    <div className="space-y-4">
      <PageHeader
        title="Segments"
        description="Send different customers to different policies. When a case opens, the first segment whose conditions all hold chooses its policy; customers no segment takes get the default policy. Open cases keep the policy they started with."
        actions={<Link href="/admin/policies" className={buttonClassName({ variant: "secondary" })}>Policies</Link>}
      />
      {done ? <Alert variant="success">{done} New cases follow the new list.</Alert> : null}
      {reach.capped ? (
        <Alert variant="warning">Counts cover the first {MAX_CUSTOMERS_COUNTED.toLocaleString("en")} customers of this workspace only.</Alert>
      ) : null}
      {canEdit && policies.length === 0 ? (
        <Alert variant="info" action={<Link href="/admin/policies/new" className={buttonClassName({ variant: "secondary", size: "sm" })}>Create a policy</Link>}>
          A segment points at a policy; this workspace has none saved yet.
        </Alert>
      ) : null}
      <p className="text-sm text-muted">
        Counts are of the workspace&apos;s {reach.scanned.toLocaleString("en")} customers as they are now; a decline-category condition matches only customers who have had a case.
      </p>
      {canEdit ? (
        <ol aria-label="Segments, in the order they are tried" className="space-y-3">
          {segments.map((segment, i) => (
            <li key={segment.id}>
              <SegmentRuleForm segment={segment} position={i} total={segments.length} policyKeys={policyKeys} counts={reach.rules[i] ?? null} />
            </li>
          ))}
        </ol>
      ) : segments.length ? (
        <ol aria-label="Segments, in the order they are tried" className="divide-y divide-border rounded-card border border-border bg-surface">
          {segments.map((segment, i) => (
            <li key={segment.id} className="flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 px-4 py-3 text-sm">
              <div>
                <p className="font-medium text-text">
                  {i + 1}. {segment.name} <span className="font-normal text-muted">→ policy</span> <span className="font-mono text-xs">{segment.policyKey}</span>
                </p>
                <p className="text-muted">{sentence(segment.conditions)}</p>
              </div>
              <p className="tabular-nums text-text">{reach.rules[i] ? countText(reach.rules[i]) : null}</p>
            </li>
          ))}
        </ol>
      ) : null}
      <Card>
        <p className="text-sm text-text">
          <span className="font-medium">Everyone else</span> → default policy{" "}
          {fallback ? (
            <Link href={`/admin/policies/${encodeURIComponent(fallback.key)}`} className="font-mono text-xs text-primary underline-offset-4 hover:underline">
              {fallback.key}
            </Link>
          ) : (
            <span className="text-muted">(the built-in default, created with the first case)</span>
          )}
          <span className="ml-2 text-muted tabular-nums">
            {rest.first.toLocaleString("en")} {rest.first === 1 ? "customer" : "customers"}
          </span>
        </p>
        {!canEdit && segments.length === 0 ? <p className="mt-1 text-sm text-muted">No segments: every case follows the default policy. Admins and owners add segments here.</p> : null}
      </Card>
      {canEdit && policies.length > 0 ? <SegmentRuleForm position={segments.length} total={segments.length} policyKeys={policyKeys} counts={rest} /> : null}
    </div>
  );
}
