import { AdminShell } from "@/components/admin/admin-shell";
import { Toaster } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { adminNavigation } from "@/lib/admin/navigation";
import { getDb } from "@/lib/db/client";
import { listOpenHelpRequests } from "@/lib/portal/help";
import { signOutOperator, switchWorkspace } from "./actions";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const context = await requireOperator("viewer");
  // The badge needs the count only: no rows.
  const help = await listOpenHelpRequests(await getDb(), context.workspace.id, 0);
  return (
    <Toaster>
      <AdminShell
        nav={adminNavigation(context.role, { openHelpRequests: help.count })}
        workspaces={context.memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name }))}
        currentWorkspaceId={context.workspace.id}
        user={{ name: context.user.name, email: context.user.email }}
        role={context.role}
        switchWorkspaceAction={switchWorkspace}
        signOutAction={signOutOperator}
        sandbox={context.workspace.isDemo}
      >
        {children}
      </AdminShell>
    </Toaster>
  );
}
