import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { listPolicies, policyHistory } from "@/lib/dunning/policies";
import { defaultPolicy } from "@/lib/dunning/policy";
import { param, type SearchParams } from "../../_components/billing-ui";
import { savePolicyAction } from "../../dunning-actions";
import { PolicyEditor } from "../_components/policy-editor";

export const metadata: Metadata = { title: "New policy" };

/** A new policy starts from the built-in default, or from a copy of another (?from=key). */
export default async function NewPolicyPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace } = await requireOperator("admin");
  const query = await searchParams;
  const db = await getDb();
  const policies = await listPolicies(db, workspace.id);
  const source = policies.find((p) => p.key === param(query.from));
  const [copied] = source ? await policyHistory(db, workspace.id, source.key) : [];
  const definition = copied ? { ...copied.definition, name: `${String(copied.definition.name ?? source?.name)} (copy)` } : defaultPolicy;
  const key = param(query.key)?.toLowerCase().slice(0, 40);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/policies" className="hover:underline">← Policies</Link>}
        title="New policy"
        description={
          source ? (
            <>
              A copy of <span className="font-mono">{source.key}</span> version {source.currentVersion}. Give it a key, change what differs, and create it; then point a segment at it.
            </>
          ) : (
            "It starts as the built-in default: smart retries over 21 days, four emails, cancel at period end. Give it a key, change what differs, and create it; then point a segment at it."
          )
        }
        actions={
          policies.length ? (
            <nav aria-label="Start from another policy" className="flex flex-wrap items-center gap-2 text-sm">
              <span className="text-muted">Start from:</span>
              {policies.map((p) => (
                <Link key={p.id} href={`/admin/policies/new?from=${encodeURIComponent(p.key)}`} aria-current={p.key === source?.key ? "true" : undefined} className="font-mono text-xs text-primary underline-offset-4 hover:underline aria-[current=true]:font-semibold">
                  {p.key}
                </Link>
              ))}
            </nav>
          ) : null
        }
      />
      <PolicyEditor
        key={source?.key ?? "default"}
        action={savePolicyAction}
        initialKey={key}
        initialText={JSON.stringify(definition, null, 2)}
        isDefault={false}
        suggestDefault={policies.length === 0}
        canEdit
      />
    </div>
  );
}
