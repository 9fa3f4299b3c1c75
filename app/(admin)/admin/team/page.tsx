import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/page-header";
import { Card, Field, Input, NativeSelect, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";
import { listMembers } from "@/lib/workspaces";
import { ActionForm } from "../_components/action-form";
import { inviteOperatorAction } from "../actions";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const { workspace, role } = await requireOperator("viewer");
  const members = await listMembers(await getDb(), workspace.id);
  return (
    <div className="space-y-6">
      <PageHeader title="Team" description="Operators of this workspace and their roles." />
      <Table>
        <THead>
          <Tr>
            <Th>Email</Th>
            <Th>Name</Th>
            <Th>Role</Th>
            <Th>Member since</Th>
          </Tr>
        </THead>
        <TBody>
          {members.map((m) => (
            <Tr key={m.userId}>
              <Td>{m.email}</Td>
              <Td>{m.name ?? "—"}</Td>
              <Td>{m.role}</Td>
              <Td>{formatDateTime(m.since, workspace.timezone)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {hasRole(role, "owner") ? (
        <Card className="max-w-lg p-6">
          <h2 className="mb-4 text-lg font-semibold">Invite an operator</h2>
          <ActionForm action={inviteOperatorAction} submitLabel="Invite">
            <Field label="Email" htmlFor="invite-email">
              <Input id="invite-email" name="email" type="email" required />
            </Field>
            <NativeSelect label="Role" id="invite-role" name="role" defaultValue="viewer" options={[
              { value: "viewer", label: "Viewer — sees everything, changes nothing" },
              { value: "admin", label: "Admin — runs cases and policies" },
              { value: "owner", label: "Owner — also settings, team and connections" },
            ]} />
          </ActionForm>
        </Card>
      ) : null}
    </div>
  );
}
