import Link from "next/link";
import type { ReactNode } from "react";
import { Badge, buttonClassName, Card } from "@/components/ui";
import type { ConnectionView } from "@/lib/billing/connections";
import { formatDateTime } from "@/lib/format";
import { providerLabels } from "../../_components/billing-ui";
import { InlineActionForm } from "../../_components/inline-action-form";
import { removeConnectionAction, setRetryOwnerAction, syncConnectionAction, testConnectionAction } from "../../billing-actions";
import { RemoveConnection } from "./remove-connection";
import { RetryOwnerFields } from "./retry-owner-fields";
import { SyncPanel } from "./sync-panel";
import { EventsToEnable, SecretHints, WebhookUrl } from "./webhook-setup";

/** What removal deletes; the dialog and the no-JavaScript confirmation say the same. */
export function removalConsequences(connection: ConnectionView): string {
  const provider = providerLabels[connection.provider];
  return `Dunwell deletes the credentials of ${connection.name} and every customer, invoice, payment method and inbox event it copied from it. Nothing changes at ${provider}${connection.provider === "sandbox" ? "" : "; delete the webhook endpoint there too"}.`;
}

type Props = { connection: ConnectionView; timeZone: string; isOwner: boolean };

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-2">
      <h3 className="text-xs font-medium tracking-wide text-muted uppercase">{title}</h3>
      {children}
    </div>
  );
}

/** One connection: how to wire it, its secrets, who retries, and its sync. */
export function ConnectionCard({ connection, timeZone, isOwner }: Props) {
  const provider = providerLabels[connection.provider];
  const retryText =
    connection.retryOwner === "dunwell" ? "Dunwell retries failed payments." : "The provider retries; Dunwell communicates and never retries on top.";
  return (
    <Card
      title={connection.name}
      description={
        <>
          <Badge variant={connection.provider === "sandbox" ? "warning" : "neutral"} className="mr-1.5">{provider}</Badge>
          {connection.status === "disabled" ? <Badge variant="danger" className="mr-1.5">Disabled</Badge> : null}
          <span className="font-mono text-xs">{connection.id}</span>
          {connection.settings.site ? ` · site ${connection.settings.site}` : null}
          {connection.apiBase ? ` · API base ${connection.apiBase}` : null}
        </>
      }
      actions={
        isOwner ? (
          <>
            {connection.provider === "sandbox" ? null : (
              <Link href={`/admin/connections/${connection.id}/rotate`} className={buttonClassName({ variant: "secondary", size: "sm" })}>
                Rotate secrets
              </Link>
            )}
            <RemoveConnection
              connectionId={connection.id}
              name={connection.name}
              consequences={removalConsequences(connection)}
              action={removeConnectionAction}
              fallbackHref={`/admin/connections?remove=${encodeURIComponent(connection.id)}`}
            />
          </>
        ) : null
      }
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <Part title="Webhook endpoint">
          <WebhookUrl connection={connection} />
          <EventsToEnable connection={connection} />
        </Part>
        <Part title="Credentials">
          <SecretHints hints={connection.secretHints} />
          <InlineActionForm action={testConnectionAction} submitLabel="Test connection">
            <input type="hidden" name="id" value={connection.id} />
          </InlineActionForm>
        </Part>
        <Part title="Sync">
          <p className="text-sm text-muted">
            {connection.backfilledAt
              ? `Backfilled ${formatDateTime(connection.backfilledAt, timeZone)}. A sync fetches events the provider could not deliver and refreshes open invoices.`
              : "The first sync copies customers, subscriptions, payment methods and open invoices."}
          </p>
          <SyncPanel
            connectionId={connection.id}
            name={connection.name}
            state={connection.syncState}
            lastSynced={connection.lastSyncedAt ? formatDateTime(connection.lastSyncedAt, timeZone) : null}
            action={isOwner ? syncConnectionAction : null}
          />
        </Part>
        <Part title="Retries">
          {isOwner ? (
            <InlineActionForm action={setRetryOwnerAction} submitLabel="Save retry choice" className="space-y-3">
              <input type="hidden" name="id" value={connection.id} />
              <RetryOwnerFields idPrefix={connection.id} provider={connection.provider} defaultValue={connection.retryOwner} />
            </InlineActionForm>
          ) : (
            <p className="text-sm text-text">{retryText} Only owners change this.</p>
          )}
        </Part>
      </div>
    </Card>
  );
}
