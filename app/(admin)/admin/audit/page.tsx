import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/page-header";
import { EmptyState, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { listAudit } from "@/lib/audit";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { workspace } = await requireOperator("admin");
  const entries = await listAudit(await getDb(), workspace.id, { limit: 200 });
  if (entries.length === 0) return <EmptyState title="No activity yet" description="Changes to this workspace will be listed here." />;
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Every change to this workspace, newest first." />
      <Table>
        <THead>
          <Tr>
            <Th>When</Th>
            <Th>Who</Th>
            <Th>What</Th>
            <Th>Target</Th>
          </Tr>
        </THead>
        <TBody>
          {entries.map((e) => (
            <Tr key={e.id}>
              <Td><time dateTime={e.at.toISOString()}>{formatDateTime(e.at, workspace.timezone)}</time></Td>
              <Td>{e.actor}</Td>
              <Td>{e.action}</Td>
              <Td>{e.targetType} {e.targetId}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
