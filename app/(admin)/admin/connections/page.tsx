import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, buttonClassName, Card, EmptyState } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { listConnections, type ConnectionView } from "@/lib/billing/connections";
import { getDb } from "@/lib/db/client";
import { param, type SearchParams } from "../_components/billing-ui";
import { InlineActionForm } from "../_components/inline-action-form";
import { removeConnectionAction } from "../billing-actions";
import { ConnectionCard, removalConsequences } from "./_components/connection-card";
import { WebhookUrl } from "./_components/webhook-setup";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace, role } = await requireOperator("admin");
  const params = await searchParams;
  const connections = await listConnections(await getDb(), workspace.id);
  const isOwner = hasRole(role, "owner");
  const added = connections.find((c) => c.id === param(params.added));
  const removed = param(params.removed)?.slice(0, 80);
  const removing = isOwner ? connections.find((c) => c.id === param(params.remove)) : undefined;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Connections"
        description="The billing accounts Dunwell reads invoices and payments from. Each has its own webhook endpoint."
        actions={isOwner ? <Link href="/admin/connections/new" className={buttonClassName()}>Add connection</Link> : null}
      />
      {added ? <AddedConfirmation connection={added} /> : null}
      {removed ? <Alert variant="success">The connection “{removed}” was removed, with the records Dunwell had copied from it.</Alert> : null}
      {removing ? <RemoveConfirmation connection={removing} /> : null}
      {connections.length === 0 ? (
        <Card>
          <EmptyState
            title="No connections yet"
            description={
              isOwner
                ? "Add Stripe, Chargebee or the sandbox. The sandbox has demo customers and failed payments, so you can see the whole flow without a real account."
                : "An owner of this workspace adds Stripe, Chargebee or the sandbox here; then invoices and webhooks start to arrive."
            }
            action={isOwner ? <Link href="/admin/connections/new" className={buttonClassName()}>Add a connection</Link> : null}
          />
        </Card>
      ) : (
        <div className="space-y-4">
          {connections.map((connection) => (
            <ConnectionCard key={connection.id} connection={connection} timeZone={workspace.timezone} isOwner={isOwner} />
          ))}
        </div>
      )}
    </div>
  );
}

/** After adding: the one step left is registering the endpoint at the provider. */
function AddedConfirmation({ connection }: { connection: ConnectionView }) {
  if (connection.provider === "sandbox") {
    return (
      <Alert variant="success" title={`${connection.name} connected`}>
        Press <strong>Sync now</strong> below to load its demo customers, subscriptions and failed invoices.
      </Alert>
    );
  }
  return (
    <Alert variant="success" title={`${connection.name} connected — now register its webhook endpoint`}>
      <div className="space-y-2">
        <WebhookUrl connection={connection} />
        {connection.provider === "stripe" ? (
          <p className="text-sm text-muted">
            If you created the Stripe endpoint with a placeholder URL to get its signing secret, change its URL to this one; the signing secret stays the
            same. The events to enable are listed on the connection below. Then press <strong>Sync now</strong> to copy existing customers and open invoices.
          </p>
        ) : (
          <p className="text-sm text-muted">
            The events to enable are listed on the connection below. Then press <strong>Sync now</strong> to copy existing customers and open invoices.
          </p>
        )}
      </div>
    </Alert>
  );
}

/** The confirmation step for browsers without JavaScript (the Remove link lands here). */
function RemoveConfirmation({ connection }: { connection: ConnectionView }) {
  return (
    <Card title={`Remove ${connection.name}?`} description={removalConsequences(connection)} className="border-danger/40">
      <div className="flex flex-wrap items-center gap-3">
        <InlineActionForm action={removeConnectionAction} submitLabel={`Remove ${connection.name}`} variant="danger">
          <input type="hidden" name="id" value={connection.id} />
        </InlineActionForm>
        <Link href="/admin/connections" className={buttonClassName({ variant: "secondary", size: "sm" })}>
          Cancel
        </Link>
      </div>
    </Card>
  );
}
