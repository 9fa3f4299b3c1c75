/**
 * A portal link for the browser tests, against the running app's embedded database:
 *   node bin/run-ts.mjs e2e/portal-link.ts --email jonas@brauhaus.example
 *   node bin/run-ts.mjs e2e/portal-link.ts --case case_… --issued-days-ago 31   (an expired link)
 *   node bin/run-ts.mjs e2e/portal-link.ts --new tok_authentication_required --amount 12000 --locale en
 * --new adds a demo subscriber whose renewal fails with that test card (through the
 * sandbox's webhook path) and links to the case it opens. Prints {caseId, url} as JSON.
 *   node bin/run-ts.mjs e2e/portal-link.ts --card-only
 * --card-only adds a demo subscriber in good standing (no case) and prints {customerId, url}
 * with the case-free card-update link a pre-dunning email carries.
 */
import { parseArgs } from "node:util";
import { and, eq } from "drizzle-orm";
import { connections, customers, dunningCases, workspaces } from "@/drizzle/schema";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { contextFor } from "@/lib/billing/providers";
import { deliverSandboxConnection } from "@/lib/billing/sandbox-delivery";
import { createCustomer, createSubscription, renewSubscription } from "@/lib/billing/sandbox/simulate";
import { closeDb, getDb, type Db } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { cardLinkFor } from "@/lib/portal/card-links";
import { portalLinkFor } from "@/lib/portal/links";

const { values } = parseArgs({
  options: { "card-only": { type: "boolean", default: false }, case: { type: "string" }, email: { type: "string" }, new: { type: "string" }, amount: { type: "string", default: "12000" }, locale: { type: "string", default: "en" }, "issued-days-ago": { type: "string", default: "0" } },
});

async function demoConnection(db: Db) {
  const [row] = await db.select({ connection: connections }).from(connections).innerJoin(workspaces, eq(workspaces.id, connections.workspaceId)).where(and(eq(workspaces.isDemo, true), eq(connections.provider, "sandbox")));
  if (!row) throw new Error("no demo sandbox workspace: start the app with `npm start` first");
  return row.connection;
}

async function newCase(db: Db, card: string): Promise<string> {
  const connection = await demoConnection(db);
  const sandbox = contextFor(db, connection);
  const tag = Math.random().toString(36).slice(2, 8);
  const customer = await createCustomer(sandbox, { email: `portal-${tag}@example.com`, name: `Portal Tester ${tag}`, locale: values.locale, timezone: "Europe/Berlin", country: "DE", currency: "eur", paymentMethod: card });
  const subscription = await createSubscription(sandbox, { customerId: customer.id, planName: "Business", amount: Number(values.amount), currency: "eur", interval: "month", startAt: new Date(Date.now() - 31 * 86_400_000) });
  await renewSubscription(sandbox, subscription.id);
  await deliverSandboxConnection(db, connection);
  await processPendingInbox(db);
  const [row] = await db.select({ id: dunningCases.id }).from(dunningCases).innerJoin(customers, eq(customers.id, dunningCases.customerId)).where(eq(customers.externalId, customer.id));
  if (!row) throw new Error(`the renewal with ${card} opened no case`);
  return row.id;
}

async function caseOfEmail(db: Db, email: string): Promise<string> {
  const [row] = await db.select({ id: dunningCases.id }).from(dunningCases).innerJoin(customers, eq(customers.id, dunningCases.customerId)).where(and(eq(customers.email, email), eq(dunningCases.status, "open")));
  if (!row) throw new Error(`no open case for ${email}`);
  return row.id;
}

async function customerInGoodStanding(db: Db): Promise<{ customerId: string; url: string }> {
  const connection = await demoConnection(db);
  const sandbox = contextFor(db, connection);
  const tag = Math.random().toString(36).slice(2, 8);
  const customer = await createCustomer(sandbox, { email: `card-${tag}@example.com`, name: `Card Tester ${tag}`, locale: values.locale, timezone: "Europe/Berlin", country: "DE", currency: "eur", paymentMethod: "tok_visa" });
  await createSubscription(sandbox, { customerId: customer.id, planName: "Business", amount: Number(values.amount), currency: "eur", interval: "month" });
  await deliverSandboxConnection(db, connection);
  await processPendingInbox(db);
  const [row] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.connectionId, connection.id), eq(customers.externalId, customer.id)));
  const now = (await workspaceClock(db, connection.workspaceId)).now();
  return { customerId: row!.id, url: await cardLinkFor(db, connection.workspaceId, row!.id, now) };
}

const db = await getDb();
try {
  if (values["card-only"]) {
    console.log(JSON.stringify(await customerInGoodStanding(db)));
  } else {
    const caseId = values.case ?? (values.email ? await caseOfEmail(db, values.email) : values.new ? await newCase(db, values.new) : null);
    if (!caseId) throw new Error("give --case, --email, --new or --card-only");
    const [c] = await db.select({ workspaceId: dunningCases.workspaceId }).from(dunningCases).where(eq(dunningCases.id, caseId));
    const now = (await workspaceClock(db, c!.workspaceId)).now();
    const issuedAt = new Date(now.getTime() - Number(values["issued-days-ago"]) * 86_400_000);
    console.log(JSON.stringify({ caseId, url: await portalLinkFor(db, caseId, issuedAt) }));
  }
} finally {
  await closeDb();
}
