import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, Card, Field, Input } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { getConnection, toView, type ConnectionView } from "@/lib/billing/connections";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { ActionForm } from "../../../_components/action-form";
import { rotateSecretsAction } from "../../../billing-actions";
import { SecretInput } from "../../new/provider-fields";
import { SecretHints } from "../../_components/webhook-setup";

export const metadata: Metadata = { title: "Rotate secrets" };

async function findConnection(id: string, workspaceId: string): Promise<ConnectionView> {
  try {
    return toView(await getConnection(await getDb(), id, workspaceId));
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function RotateSecretsPage({ params }: { params: Promise<{ id: string }> }) {
  const { workspace } = await requireOperator("owner");
  const connection = await findConnection((await params).id, workspace.id);
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/connections" className="hover:underline">← Connections</Link>}
        title={`Rotate secrets of ${connection.name}`}
        description="Fill in only what changes; the other secrets stay as they are. Nothing you type is shown again."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,36rem)_minmax(0,1fr)]">
        <Card title="New secrets">
          {connection.provider === "sandbox" ? (
            <p className="text-sm text-muted">The sandbox generates its own signing secret; there is nothing to rotate.</p>
          ) : (
            <ActionForm action={rotateSecretsAction} submitLabel="Replace secrets">
              <input type="hidden" name="id" value={connection.id} />
              {connection.provider === "stripe" ? <StripeRotation /> : <ChargebeeRotation />}
            </ActionForm>
          )}
        </Card>
        <div className="space-y-4">
          <Card title="In use now">
            <SecretHints hints={connection.secretHints} />
          </Card>
          {connection.provider === "stripe" ? (
            <Alert title="Rolling the webhook signing secret without losing events">
              <ol className="list-decimal space-y-1 pl-5">
                <li>In Stripe, open the endpoint and choose Roll secret with an expiry for the old one (up to 24 hours). Until then Stripe signs every event with both secrets.</li>
                <li>Enter the new secret here. If you have the old one, enter it as the second secret: Dunwell then accepts either during the overlap.</li>
                <li>When the old secret has expired in Stripe, come back and enter only the new one.</li>
              </ol>
              <p className="mt-2">For the API key: create the new key, save it here, press Test connection, then delete the old key in Stripe.</p>
            </Alert>
          ) : connection.provider === "chargebee" ? (
            <Alert title="Changing the webhook password">
              Chargebee sends the password with every webhook, so change it in both places within a few minutes: events refused in between are
              retried by Chargebee, and the next sync fetches any that were missed.
            </Alert>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function StripeRotation() {
  return (
    <>
      <Field label="New secret key" htmlFor="secretKey" description="sk_… or rk_…, with the same permissions as the old one. Leave empty to keep the current key.">
        <SecretInput id="secretKey" name="secretKey" placeholder="rk_live_…" />
      </Field>
      <Field label="New webhook signing secret" htmlFor="webhookSecret" description="Leave empty to keep the current signing secrets.">
        <SecretInput id="webhookSecret" name="webhookSecret" placeholder="whsec_…" />
      </Field>
      <Field
        label="Also accept (previous signing secret)"
        htmlFor="webhookSecretSecond"
        description="Optional, only with a new signing secret: the old one, kept valid until Stripe stops signing with it."
      >
        <SecretInput id="webhookSecretSecond" name="webhookSecretSecond" placeholder="whsec_…" />
      </Field>
    </>
  );
}

function ChargebeeRotation() {
  return (
    <>
      <Field label="New API key" htmlFor="apiKey" description="Leave empty to keep the current key.">
        <SecretInput id="apiKey" name="apiKey" />
      </Field>
      <Field label="New webhook username" htmlFor="webhookUsername" description="Leave empty to keep the current username.">
        <Input id="webhookUsername" name="webhookUsername" autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="New webhook password" htmlFor="webhookPassword" description="12 characters or more. Leave empty to keep the current password.">
        <SecretInput id="webhookPassword" name="webhookPassword" />
      </Field>
    </>
  );
}
