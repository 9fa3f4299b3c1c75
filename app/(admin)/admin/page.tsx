import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Card } from "@/components/ui";
import { listAudit } from "@/lib/audit";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";
import { listMembers } from "@/lib/workspaces";

export const metadata: Metadata = { title: "Overview" };

export default async function AdminOverviewPage() {
  const { workspace, role } = await requireOperator("viewer");
  const db = await getDb();
  const [members, recent] = await Promise.all([listMembers(db, workspace.id), listAudit(db, workspace.id, { limit: 5 })]);
  return (
    <div className="space-y-6">
      <PageHeader title={workspace.name} description={`You are ${role === "admin" || role === "owner" ? "an" : "a"} ${role} of this workspace.`} />
      <div className="grid gap-4 md:grid-cols-3">
        <Card className="p-4">
          <h2 className="text-sm text-muted">Operators</h2>
          <p className="text-2xl font-semibold tabular-nums">{members.length}</p>
          <Link className="text-sm underline" href="/admin/team">See the team</Link>
        </Card>
        <Card className="p-4">
          <h2 className="text-sm text-muted">Time zone</h2>
          <p className="text-2xl font-semibold">{workspace.timezone}</p>
        </Card>
        <Card className="p-4">
          <h2 className="text-sm text-muted">Mode</h2>
          <p className="text-2xl font-semibold">{workspace.isDemo ? "Sandbox demo" : "Live"}</p>
        </Card>
      </div>
      <section aria-labelledby="recent" className="space-y-2">
        <h2 id="recent" className="text-lg font-semibold">Recent activity</h2>
        {recent.length === 0 ? (
          <p className="text-muted">Nothing has happened in this workspace yet.</p>
        ) : (
          <ul className="divide-y divide-border rounded-md border border-border">
            {recent.map((entry) => (
              <li key={entry.id} className="flex justify-between gap-4 px-4 py-2 text-sm">
                <span>{entry.action} · {entry.targetType} {entry.targetId}</span>
                <time dateTime={entry.at.toISOString()} className="text-muted">{formatDateTime(entry.at, workspace.timezone)}</time>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
