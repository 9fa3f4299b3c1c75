import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/page-header";
import { Card, Field, Input } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { ActionForm } from "../_components/action-form";
import { renameWorkspaceAction } from "../actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { workspace } = await requireOperator("owner");
  return (
    <div className="space-y-6">
      <PageHeader title="Workspace settings" description="Only owners can change these." />
      <Card className="max-w-lg p-6">
        <ActionForm action={renameWorkspaceAction} submitLabel="Save name">
          <Field label="Workspace name" htmlFor="name">
            <Input id="name" name="name" defaultValue={workspace.name} required maxLength={80} />
          </Field>
        </ActionForm>
      </Card>
    </div>
  );
}
