import type { ConnectionView } from "@/lib/billing/connections";
import { CopyButton } from "./copy-button";

const where: Record<ConnectionView["provider"], string> = {
  stripe: "In Stripe, open Developers → Webhooks → Add endpoint, paste this URL and select the events below.",
  chargebee:
    "In Chargebee, open Settings → Configure Chargebee → Webhooks → Add webhook, paste this URL, turn on basic authentication with the username and password you gave Dunwell, and select the events below.",
  sandbox: "The sandbox calls this URL itself; there is nothing to set up.",
};

/** The endpoint URL to register at the provider, with a copy button and where to paste it. */
export function WebhookUrl({ connection }: { connection: ConnectionView }) {
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 rounded-control border border-border bg-background px-2 py-1 font-mono text-xs break-all select-all">
          {connection.webhookUrl}
        </code>
        <CopyButton value={connection.webhookUrl} label={`Copy the webhook URL of ${connection.name}`} />
      </div>
      <p className="text-sm text-muted">{where[connection.provider]}</p>
    </div>
  );
}

/** The exact event types to tick at the provider (collapsed: it is a long list). */
export function EventsToEnable({ connection }: { connection: ConnectionView }) {
  const events = connection.eventsToEnable;
  if (events.length === 0) return <p className="text-sm text-muted">None: the sandbox sends every event Dunwell needs.</p>;
  return (
    <details className="group text-sm">
      <summary className="cursor-pointer rounded-control text-text underline-offset-4 hover:underline">
        {events.length} events to enable
      </summary>
      <ul className="mt-2 grid gap-x-6 gap-y-0.5 font-mono text-xs text-text sm:grid-cols-2">
        {events.map((event) => (
          <li key={event}>{event}</li>
        ))}
      </ul>
    </details>
  );
}

const hintLabels: Record<string, string> = {
  secretKey: "Secret key",
  webhookSecrets: "Signing secret",
  apiKey: "API key",
  webhookPassword: "Webhook password",
  webhookSecret: "Signing secret",
};

/** Only the last four characters of each secret are ever shown again. */
export function SecretHints({ hints }: { hints: ConnectionView["secretHints"] }) {
  const rows = Object.entries(hints).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((last4, i) => ({ key: `${key}-${i}`, label: hintLabels[key] ?? key, last4 })));
  if (rows.length === 0) return <p className="text-sm text-muted">No secrets stored.</p>;
  return (
    <ul className="space-y-0.5 text-sm">
      {rows.map((row) => (
        <li key={row.key} className="flex gap-2">
          <span className="text-muted">{row.label}</span>
          <span className="font-mono tabular-nums">
            <span aria-hidden="true">••••</span>
            <span className="sr-only">ending in</span> {row.last4}
          </span>
        </li>
      ))}
    </ul>
  );
}
