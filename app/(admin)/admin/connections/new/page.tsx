import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Alert, Card } from "@/components/ui";
import type { ProviderKind } from "@/drizzle/schema";
import { requireOperator } from "@/lib/auth/guard";
import { ActionForm } from "../../_components/action-form";
import { paramOf, providerLabels, type SearchParams } from "../../_components/billing-ui";
import { addConnectionAction } from "../../billing-actions";
import { RetryOwnerFields } from "../_components/retry-owner-fields";
import { ChargebeeFields, SandboxFields, StripeFields } from "./provider-fields";

export const metadata: Metadata = { title: "Add a connection" };

const providers = ["stripe", "chargebee", "sandbox"] as const satisfies readonly ProviderKind[];

const intros: Record<ProviderKind, React.ReactNode> = {
  stripe: (
    <Alert title="Use a restricted key with these permissions">
      <ul className="list-disc space-y-0.5 pl-5">
        <li>
          <strong>Write</strong> (read and write): Invoices, PaymentIntents, SetupIntents, PaymentMethods, Customers, Subscriptions.
        </li>
        <li>
          <strong>Read</strong>: Events, Charges, Balance and Account.
        </li>
      </ul>
      <p className="mt-1">Create it under Developers → API keys → Create restricted key. Use test-mode keys to try Dunwell first.</p>
    </Alert>
  ),
  chargebee: (
    <Alert title="You need an API key and a webhook">
      Dunwell calls Chargebee with the API key, and Chargebee calls Dunwell with a webhook protected by basic authentication: choose its username and
      password here and enter the same in Chargebee once Dunwell shows the webhook URL.
    </Alert>
  ),
  sandbox: (
    <Alert variant="warning" title="Demo data, no real money">
      The sandbox is a built-in provider with demo customers and failing payments, so you can watch the whole flow in a minute. It is never a
      substitute for testing with Stripe or Chargebee test mode.
    </Alert>
  ),
};

export default async function NewConnectionPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator("owner");
  const provider = paramOf((await searchParams).provider, providers) ?? "stripe";
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/connections" className="hover:underline">← Connections</Link>}
        title="Add a connection"
        description="Secrets are encrypted at rest and never shown again, only their last four characters."
      />
      <nav aria-label="Provider" className="flex gap-1 border-b border-border">
        {providers.map((p) => (
          <Link
            key={p}
            href={`/admin/connections/new?provider=${p}`}
            aria-current={p === provider ? "page" : undefined}
            className={[
              "-mb-px border-b-2 px-3 py-2 text-sm",
              p === provider ? "border-primary font-medium text-primary" : "border-transparent text-muted hover:text-text",
            ].join(" ")}
          >
            {providerLabels[p]}
          </Link>
        ))}
      </nav>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,36rem)_minmax(0,1fr)]">
        <Card title={`${providerLabels[provider]} connection`}>
          {/* Keyed so that switching provider gives a fresh form (no value carries over). */}
          <ActionForm key={provider} action={addConnectionAction} submitLabel={`Add ${providerLabels[provider]}`}>
            <input type="hidden" name="provider" value={provider} />
            {provider === "stripe" ? <StripeFields /> : provider === "chargebee" ? <ChargebeeFields /> : <SandboxFields />}
            <RetryOwnerFields idPrefix="new" provider={provider} />
          </ActionForm>
        </Card>
        <div className="space-y-4">{intros[provider]}</div>
      </div>
    </div>
  );
}
