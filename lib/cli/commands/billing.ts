import type { Command } from "commander";
import type { SyncState } from "@/drizzle/schema";
import { addConnection, getConnection, listConnections, toView, type AddConnectionInput } from "@/lib/billing/connections";
import { listInbox } from "@/lib/billing/inbox";
import { providerFor } from "@/lib/billing/providers";
import { listCustomers, listInvoices } from "@/lib/billing/queries";
import { syncConnection } from "@/lib/billing/sync";
import { AppError } from "@/lib/errors";
import { cliDb } from "../context";
import { emit, table, type OutputOptions } from "../output";
import { action } from "../run";

const CLI = { kind: "cli" } as const;
const collect = (value: string, previous: string[] = []) => [...previous, value];

type AddOptions = OutputOptions & {
  workspace: string;
  name?: string;
  apiBase?: string;
  retryOwner?: string;
  secretKey?: string;
  webhookSecret?: string[];
  publishableKey?: string;
  site?: string;
  apiKey?: string;
  webhookUsername?: string;
  webhookPassword?: string;
};

function progressBar(json: boolean) {
  return (state: SyncState) => {
    if (json || !process.stderr.isTTY) return;
    const width = 24;
    const filled = state.total ? Math.round((state.done / state.total) * width) : state.done % (width + 1);
    process.stderr.write(`\r[${"#".repeat(filled).padEnd(width, ".")}] ${state.phase} ${state.message ?? ""} ${state.done}   `);
    if (state.phase === "done" || state.phase === "failed") process.stderr.write("\n");
  };
}

export function registerBillingCommands(program: Command): void {
  const connection = program.command("connection").description("billing provider connections");
  connection
    .command("add")
    .description("connect stripe, chargebee or sandbox to a workspace")
    .argument("<provider>", "stripe | chargebee | sandbox")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--name <name>", "display name")
    .option("--api-base <url>", "provider API base URL (local servers in tests and development)")
    .option("--retry-owner <owner>", "dunwell (Dunwell retries) or provider (the provider retries, Dunwell communicates)", "dunwell")
    .option("--secret-key <key>", "Stripe secret or restricted key")
    .option("--webhook-secret <whsec>", "Stripe webhook signing secret (repeat for two during rotation)", collect)
    .option("--publishable-key <pk>", "Stripe publishable key (for the portal's Payment Element)")
    .option("--site <site>", "Chargebee site name")
    .option("--api-key <key>", "Chargebee API key")
    .option("--webhook-username <user>", "Chargebee webhook basic-auth username")
    .option("--webhook-password <password>", "Chargebee webhook basic-auth password")
    .option("--json", "print JSON")
    .action(
      action(async (provider: string, options: AddOptions) => {
        const db = await cliDb();
        const input = {
          provider,
          workspaceId: options.workspace,
          name: options.name,
          apiBase: options.apiBase,
          retryOwner: options.retryOwner,
          secretKey: options.secretKey,
          webhookSecrets: options.webhookSecret,
          publishableKey: options.publishableKey,
          site: options.site,
          apiKey: options.apiKey,
          webhookUsername: options.webhookUsername,
          webhookPassword: options.webhookPassword,
        } as AddConnectionInput;
        const view = await addConnection(db, input, CLI);
        emit(options, view, () =>
          [`Connected ${view.name} (${view.id}).`, `Webhook URL: ${view.webhookUrl}`, view.eventsToEnable.length ? `Enable these events: ${view.eventsToEnable.join(", ")}` : ""]
            .filter(Boolean)
            .join("\n"),
        );
      }),
    );
  connection
    .command("list")
    .description("list a workspace's connections (secrets show their last four only)")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string }) => {
        const rows = await listConnections(await cliDb(), options.workspace);
        emit(options, rows, () => table(rows.map((c) => ({ id: c.id, provider: c.provider, name: c.name, retries: c.retryOwner, webhook: c.webhookUrl })), ["id", "provider", "name", "retries", "webhook"]));
      }),
    );
  connection
    .command("test")
    .description("call the provider with the stored credentials")
    .requiredOption("--connection <id>", "connection id")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { connection: string }) => {
        const db = await cliDb();
        const row = await getConnection(db, options.connection);
        const result = await providerFor(db, row).testConnection();
        emit(options, { ok: true, connection: toView(row).id, ...result }, () => `OK: ${row.provider} answered for account ${result.account}${result.livemode ? " (live)" : " (test)"}.`);
      }),
    );

  program
    .command("sync")
    .description("reconcile a connection: backfill on first run, missed events, open invoices")
    .requiredOption("--connection <id>", "connection id")
    .option("--since <date>", "look for missed events since this date (ISO)")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { connection: string; since?: string }) => {
        const since = options.since ? new Date(options.since) : undefined;
        if (since && Number.isNaN(since.getTime())) throw new AppError("invalid_input", "--since must be a date such as 2026-11-01.");
        const report = await syncConnection(await cliDb(), options.connection, { since, onProgress: progressBar(Boolean(options.json)) });
        emit(options, report, () =>
          `Synced: ${report.customers} customers, ${report.subscriptions} subscriptions, ${report.paymentMethods} payment methods, ${report.invoices} open invoices, ${report.missedEvents} missed events.`,
        );
      }),
    );

  program
    .command("inbox")
    .description("the webhook inbox")
    .command("list")
    .requiredOption("--connection <id>", "connection id")
    .option("--status <status>", "received | processing | processed | ignored | failed")
    .option("--type <type>", "provider event type")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { connection: string; status?: string; type?: string; limit: string }) => {
        const db = await cliDb();
        const row = await getConnection(db, options.connection);
        const events = await listInbox(db, row.workspaceId, { connectionId: row.id, status: options.status as "received", type: options.type, limit: Number(options.limit) });
        const out = events.map(({ body: _body, ...e }) => e);
        emit(options, out, () => table(out.map((e) => ({ id: e.id, type: e.type, status: e.status, attempts: e.attempts, received: e.receivedAt.toISOString(), error: e.lastError ?? "" })), ["id", "type", "status", "attempts", "received", "error"]));
      }),
    );

  program
    .command("invoices")
    .description("invoices synced from the providers")
    .command("list")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--status <status>", "open | paid | void | uncollectible | draft")
    .option("--search <text>", "customer email or invoice number")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; status?: string; search?: string }) => {
        const rows = await listInvoices(await cliDb(), options.workspace, { status: options.status as "open", search: options.search });
        emit(options, rows, () => table(rows.map((i) => ({ id: i.id, number: i.number ?? i.externalId, customer: i.customerEmail ?? "", status: i.status, remaining: `${i.amountRemaining} ${i.currency}` })), ["id", "number", "customer", "status", "remaining"]));
      }),
    );

  program
    .command("customers")
    .description("customers synced from the providers")
    .command("list")
    .requiredOption("--workspace <id>", "workspace id")
    .option("--search <text>", "email or name")
    .option("--json", "print JSON")
    .action(
      action(async (options: OutputOptions & { workspace: string; search?: string }) => {
        const rows = await listCustomers(await cliDb(), options.workspace, { search: options.search });
        emit(options, rows, () => table(rows.map((c) => ({ id: c.id, email: c.email ?? "", name: c.name ?? "", country: c.country ?? "" })), ["id", "email", "name", "country"]));
      }),
    );
}
