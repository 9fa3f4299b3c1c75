import { and, eq } from "drizzle-orm";
import { connections, customers, dunningCases, invoices, workspaces, type Connection, type Customer, type DunningCase, type Invoice, type Workspace } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { getPolicyVersion } from "@/lib/dunning/policies";
import type { Policy } from "@/lib/dunning/policy";
import { resolveTimeZone } from "@/lib/dunning/slots";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { portalText, type PortalText } from "./i18n";
import type { PortalSession } from "./sessions";

/** The brand the portal shows: the workspace's messaging branding, else its name. */
export type PortalBrand = { name: string; color?: string; logoUrl?: string; supportEmail?: string };

/**
 * What every portal page knows: one customer of one workspace, at its connection, with the
 * brand, language and clock to show it in. A case link gives a PortalCase (this plus the
 * case); a card link (pre-dunning) gives only this.
 */
export type PortalCustomer = {
  workspace: Workspace;
  customer: Customer;
  connection: Connection;
  brand: PortalBrand;
  /** Sandbox connection or demo workspace: every page says so. */
  sandbox: boolean;
  text: PortalText;
  /** The workspace's clock (sandbox test clocks apply); `base` is what it was derived from. */
  clock: Clock;
  base: Clock;
};

/** Everything a portal page or action needs, loaded through the session's workspace, customer and case only. */
export type PortalCase = PortalCustomer & {
  session: PortalSession;
  c: DunningCase;
  invoice: Invoice;
  policy: Policy;
};

/** Logos must pass the CSP's img-src: same-origin paths and data: URLs only. */
const safeLogo = (url: string | undefined) => (url && (url.startsWith("/") || url.startsWith("data:image/")) ? url : undefined);

export async function loadPortalCase(db: DbOrTx, session: PortalSession, base: Clock = systemClock): Promise<PortalCase | null> {
  const [row] = await db
    .select({ c: dunningCases, invoice: invoices, customer: customers, connection: connections, workspace: workspaces })
    .from(dunningCases)
    .innerJoin(invoices, and(eq(invoices.id, dunningCases.invoiceId), eq(invoices.workspaceId, dunningCases.workspaceId)))
    .innerJoin(customers, and(eq(customers.id, dunningCases.customerId), eq(customers.workspaceId, dunningCases.workspaceId)))
    .innerJoin(connections, and(eq(connections.id, dunningCases.connectionId), eq(connections.workspaceId, dunningCases.workspaceId)))
    .innerJoin(workspaces, eq(workspaces.id, dunningCases.workspaceId))
    .where(and(eq(dunningCases.id, session.caseId), eq(dunningCases.workspaceId, session.workspaceId), eq(dunningCases.customerId, session.customerId)));
  if (!row) return null;
  const [{ policy }, frame] = await Promise.all([getPolicyVersion(db, row.c.workspaceId, row.c.policyVersionId), customerFrame(db, row, base)]);
  return { session, c: row.c, invoice: row.invoice, policy, ...frame };
}

/** The customer a card session names, through its workspace, at the connection it came from. */
export async function loadPortalCustomer(db: DbOrTx, ids: { workspaceId: string; customerId: string }, base: Clock = systemClock): Promise<PortalCustomer | null> {
  const [row] = await db
    .select({ customer: customers, connection: connections, workspace: workspaces })
    .from(customers)
    .innerJoin(connections, and(eq(connections.id, customers.connectionId), eq(connections.workspaceId, customers.workspaceId)))
    .innerJoin(workspaces, eq(workspaces.id, customers.workspaceId))
    .where(and(eq(customers.id, ids.customerId), eq(customers.workspaceId, ids.workspaceId)));
  return row ? customerFrame(db, row, base) : null;
}

async function customerFrame(db: DbOrTx, row: Pick<PortalCustomer, "workspace" | "customer" | "connection">, base: Clock): Promise<PortalCustomer> {
  const [settings, clock] = await Promise.all([getMessagingSettings(db, row.workspace.id), workspaceClock(db, row.workspace.id, base)]);
  const { branding } = settings;
  const timeZone = resolveTimeZone(row.customer.timezone, row.workspace.timezone);
  return {
    workspace: row.workspace,
    customer: row.customer,
    connection: row.connection,
    brand: { name: branding.name || row.workspace.name, color: branding.color, logoUrl: safeLogo(branding.logoUrl), supportEmail: branding.supportEmail },
    sandbox: row.connection.provider === "sandbox" || row.workspace.isDemo,
    text: portalText(row.customer.locale, row.workspace.defaultLocale, timeZone),
    clock,
    base,
  };
}

/** The case is still collecting: open or paused, with its invoice open. */
export const isOwing = (p: Pick<PortalCase, "c" | "invoice">) => (p.c.status === "open" || p.c.status === "paused") && p.invoice.status === "open";
