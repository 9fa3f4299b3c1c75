import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, Badge, Card, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listPolicies, policyHistory } from "@/lib/dunning/policies";
import { validatePolicy } from "@/lib/dunning/policy";
import { listMembers } from "@/lib/workspaces";
import { DateTime, param, type SearchParams } from "../../_components/billing-ui";
import { savePolicyAction } from "../../dunning-actions";
import { PolicyEditor } from "../_components/policy-editor";
import { PolicyTimeline } from "../_components/policy-timeline";

export const metadata: Metadata = { title: "Policy" };

const json = (definition: unknown) => JSON.stringify(definition, null, 2);

/** Saved versions were validated when saved; one from an older format is shown as JSON only. */
function SavedTimeline({ definition }: { definition: unknown }) {
  const checked = validatePolicy(definition);
  return checked.ok ? <PolicyTimeline policy={checked.policy} /> : <p className="text-sm text-muted">This version no longer validates, so it cannot be drawn; its JSON is below.</p>;
}

export default async function PolicyPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("viewer");
  const key = (await params).key.toLowerCase();
  const query = await searchParams;
  const db = await getDb();
  const [history, policies, members] = await Promise.all([policyHistory(db, workspace.id, key), listPolicies(db, workspace.id), listMembers(db, workspace.id)]);
  const policy = policies.find((p) => p.key === key);
  const current = history[0];
  if (!policy || !current) notFound();

  const versionOf = (value: string | undefined) => history.find((v) => String(v.version) === value);
  const viewing = versionOf(param(query.version));
  const editFrom = versionOf(param(query.from)) ?? current;
  const saved = param(query.saved);
  const canEdit = hasRole(role, "admin");
  const emailOf = new Map(members.map((m) => [`user:${m.userId}`, m.name ?? m.email]));
  const who = (createdBy: string) => emailOf.get(createdBy) ?? (createdBy === "system" ? "Dunwell (automatic)" : createdBy === "cli" ? "Command line" : "A former member");
  const href = (q?: string) => `/admin/policies/${encodeURIComponent(key)}${q ? `?${q}` : ""}`;

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/policies" className="hover:underline">← Policies</Link>}
        title={
          <span className="inline-flex flex-wrap items-center gap-3">
            {policy.name} {policy.isDefault ? <Badge variant="primary">Default</Badge> : null}
          </span>
        }
        description={
          <>
            Key <span className="font-mono">{key}</span> · version {current.version}, saved <DateTime date={current.createdAt} timeZone={workspace.timezone} /> by {who(current.createdBy)}
          </>
        }
      />
      {saved ? (
        <Alert variant="success" title={`Saved version ${saved}`}>
          New cases that choose this policy follow it now. Open cases keep their version until re-planned from their case page.
        </Alert>
      ) : null}
      <Card title={`What version ${current.version} does`} description="Days since the failed payment. Smart retries pick their times inside the band.">
        <SavedTimeline definition={current.definition} />
      </Card>
      <section aria-labelledby="editor-title" className="space-y-3">
        <h2 id="editor-title" className="text-sm font-semibold text-text">
          {canEdit ? "Edit" : "Definition"}
          {editFrom !== current ? <span className="ml-2 font-normal text-muted">starting from version {editFrom.version}</span> : null}
        </h2>
        <PolicyEditor
          key={editFrom.version}
          action={savePolicyAction}
          policyKey={key}
          initialText={json(editFrom.definition)}
          savedText={json(current.definition)}
          isDefault={policy.isDefault}
          canEdit={canEdit}
        />
      </section>
      <section aria-labelledby="history-title" className="space-y-2">
        <h2 id="history-title" className="text-sm font-semibold text-text">
          Version history
        </h2>
        <Table caption="Versions of this policy, newest first" hideCaption>
          <THead>
            <Tr>
              <Th numeric>Version</Th>
              <Th>Name</Th>
              <Th>Saved</Th>
              <Th>By</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {history.map((v) => (
              <Tr key={v.id} aria-current={viewing?.id === v.id ? "true" : undefined} className={viewing?.id === v.id ? "bg-primary-subtle" : undefined}>
                <Td numeric>
                  v{v.version}
                  {v === current ? <span className="ml-1.5 text-xs text-muted">current</span> : null}
                </Td>
                <Td>{String((v.definition as { name?: unknown }).name ?? "—")}</Td>
                <Td>
                  <DateTime date={v.createdAt} timeZone={workspace.timezone} />
                </Td>
                <Td>{who(v.createdBy)}</Td>
                <Td className="space-x-3 text-right whitespace-nowrap">
                  <Link href={`${href(`version=${v.version}`)}#version-json`} className="text-primary underline-offset-4 hover:underline">
                    View JSON<span className="sr-only"> of version {v.version}</span>
                  </Link>
                  {canEdit && v !== current ? (
                    <Link href={`${href(`from=${v.version}`)}#editor-title`} className="text-primary underline-offset-4 hover:underline">
                      Edit from here<span className="sr-only"> (version {v.version})</span>
                    </Link>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
        {viewing ? (
          <Card id="version-json" title={`Version ${viewing.version}`} description={`Saved by ${who(viewing.createdBy)}.`} flush actions={<Link href={href()} className="text-sm text-muted hover:underline">Close</Link>}>
            <div className="border-b border-border p-4">
              <SavedTimeline definition={viewing.definition} />
            </div>
            <pre tabIndex={0} aria-label={`Version ${viewing.version} (JSON)`} className="max-h-[32rem] overflow-auto p-4 font-mono text-xs leading-relaxed text-text">
              {json(viewing.definition)}
            </pre>
          </Card>
        ) : null}
      </section>
    </div>
  );
}
