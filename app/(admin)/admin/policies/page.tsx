import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Badge, buttonClassName, Card, EmptyState, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listPolicies, listSegments } from "@/lib/dunning/policies";
import { DateTime } from "../_components/billing-ui";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  const { workspace, role } = await requireOperator("viewer");
  const db = await getDb();
  const [policies, segments] = await Promise.all([listPolicies(db, workspace.id), listSegments(db, workspace.id)]);
  const canEdit = hasRole(role, "admin");
  const usedBy = (key: string) => segments.filter((s) => s.policyKey === key).map((s) => s.name);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Retry policies"
        description="When Dunwell retries a failed payment, which messages it sends, and what happens when time runs out. Segments choose a policy per customer; the default takes the rest."
        actions={
          <>
            <Link href="/admin/policies/decline-codes" className={buttonClassName({ variant: "secondary" })}>
              Decline codes
            </Link>
            <Link href="/admin/segments" className={buttonClassName({ variant: "secondary" })}>
              Segments
            </Link>
            {canEdit ? (
              <Link href="/admin/policies/new" className={buttonClassName()}>
                New policy
              </Link>
            ) : null}
          </>
        }
      />
      {policies.length === 0 ? (
        <Card>
          <EmptyState
            title="No policy saved yet"
            description="The built-in default policy (smart retries over 21 days, four emails, cancel at period end) is created with the first failed payment. Create one now to review or change it first."
            action={canEdit ? <Link href="/admin/policies/new?key=default" className={buttonClassName({ variant: "secondary" })}>Create the default policy</Link> : null}
          />
        </Card>
      ) : (
        <Table caption="Retry policies, default first" hideCaption>
          <THead>
            <Tr>
              <Th>Key</Th>
              <Th>Name</Th>
              <Th numeric>Version</Th>
              <Th>Used by</Th>
              <Th>Last saved</Th>
            </Tr>
          </THead>
          <TBody>
            {policies.map((p) => {
              const segmentNames = usedBy(p.key);
              return (
                <Tr key={p.id}>
                  <Td>
                    <Link href={`/admin/policies/${encodeURIComponent(p.key)}`} className="font-mono text-xs text-primary underline-offset-4 hover:underline">
                      {p.key}
                    </Link>
                  </Td>
                  <Td>{p.name}</Td>
                  <Td numeric>v{p.currentVersion}</Td>
                  <Td>
                    {p.isDefault ? <Badge variant="primary">Default</Badge> : null}
                    {segmentNames.length ? <span className={p.isDefault ? "ml-2" : undefined}>{segmentNames.join(", ")}</span> : p.isDefault ? null : <span className="text-muted">No segment</span>}
                  </Td>
                  <Td>
                    <DateTime date={p.updatedAt} timeZone={workspace.timezone} />
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}
    </div>
  );
}
