import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { connections, type Connection, type ProviderKind } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { encryptSecret, lastFour } from "@/lib/crypto/secrets";
import type { Db, DbOrTx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation";
import { credentialsOf } from "./providers";
import type { ConnectionCredentials } from "./types";

const apiBase = z.url("must be a URL such as http://127.0.0.1:12111").optional();
const common = { workspaceId: z.string().min(1), name: z.string().trim().min(1).max(80).optional(), apiBase, retryOwner: z.enum(["dunwell", "provider"]).default("dunwell") };

export const addConnectionInput = z.discriminatedUnion("provider", [
  z.object({
    provider: z.literal("stripe"),
    ...common,
    secretKey: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "must be a Stripe secret key (sk_…) or restricted key (rk_…)"),
    // May be empty at first: Stripe shows the signing secret only after the endpoint exists,
    // and the endpoint URL contains this connection's id. Until one is added, webhooks get 400.
    webhookSecrets: z.array(z.string().startsWith("whsec_", "must start with whsec_")).max(2, "at most two signing secrets (during rotation)").default([]),
    publishableKey: z.string().startsWith("pk_").optional(),
  }),
  z.object({
    provider: z.literal("chargebee"),
    ...common,
    site: z.string().regex(/^[a-z0-9-]+$/, "must be your Chargebee site name, e.g. acme-test"),
    apiKey: z.string().min(8, "must be a Chargebee API key"),
    webhookUsername: z.string().min(1, "set the webhook basic-auth username"),
    webhookPassword: z.string().min(12, "use a webhook basic-auth password of 12+ characters"),
  }),
  z.object({ provider: z.literal("sandbox"), ...common }),
]);
export type AddConnectionInput = z.input<typeof addConnectionInput>;

/** A connection as operators and the CLI see it: never a secret, only its last four. */
export type ConnectionView = Omit<Connection, "secretsCiphertext"> & { webhookUrl: string; eventsToEnable: readonly string[] };

export const stripeEvents = [
  "invoice.payment_failed",
  "invoice.payment_succeeded",
  "invoice.paid",
  "invoice.payment_action_required",
  "invoice.updated",
  "invoice.voided",
  "invoice.marked_uncollectible",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.updated",
  "customer.source.expiring",
  "payment_method.attached",
  "payment_method.updated",
  "payment_method.detached",
  "payment_intent.payment_failed",
  "charge.failed",
] as const;

export const chargebeeEvents = [
  "payment_failed",
  "payment_succeeded",
  "invoice_updated",
  "subscription_changed",
  "subscription_cancelled",
  "subscription_paused",
  "payment_source_added",
  "payment_source_updated",
  "payment_source_deleted",
  "payment_source_expiring",
  "card_expiry_reminder",
  "customer_changed",
  "dunning_updated",
  "subscription_resumed",
  "invoice_deleted",
] as const;

export function webhookUrl(connection: Pick<Connection, "id" | "provider">): string {
  return `${getEnv().appUrl}/api/webhooks/${connection.provider}/${connection.id}`;
}

export function toView(connection: Connection): ConnectionView {
  const { secretsCiphertext: _secret, ...rest } = connection;
  const events = connection.provider === "stripe" ? stripeEvents : connection.provider === "chargebee" ? chargebeeEvents : [];
  return { ...rest, webhookUrl: webhookUrl(connection), eventsToEnable: events };
}

function hintsOf(credentials: ConnectionCredentials): Record<string, string | string[]> {
  switch (credentials.provider) {
    case "stripe":
      return { secretKey: lastFour(credentials.secretKey), webhookSecrets: credentials.webhookSecrets.map(lastFour) };
    case "chargebee":
      return { apiKey: lastFour(credentials.apiKey), webhookPassword: lastFour(credentials.webhookPassword) };
    case "sandbox":
      return { webhookSecret: lastFour(credentials.webhookSecret) };
  }
}

export async function addConnection(db: Db, input: AddConnectionInput, actor: Actor): Promise<ConnectionView> {
  const values = parseInput(addConnectionInput, input);
  const credentials: ConnectionCredentials =
    values.provider === "stripe"
      ? { provider: "stripe", secretKey: values.secretKey, webhookSecrets: values.webhookSecrets, publishableKey: values.publishableKey }
      : values.provider === "chargebee"
        ? { provider: "chargebee", site: values.site, apiKey: values.apiKey, webhookUsername: values.webhookUsername, webhookPassword: values.webhookPassword }
        : { provider: "sandbox", webhookSecret: `whsec_sandbox_${randomBytes(24).toString("hex")}` };
  const settings: Record<string, string> = {};
  if (values.provider === "chargebee") settings.site = values.site;
  if (values.provider === "stripe" && values.publishableKey) settings.publishableKey = values.publishableKey;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(connections)
      .values({
        id: newId("con"),
        workspaceId: values.workspaceId,
        provider: values.provider,
        name: values.name ?? defaultName(values.provider, settings),
        retryOwner: values.retryOwner,
        apiBase: values.apiBase ?? null,
        settings,
        secretsCiphertext: encryptSecret(JSON.stringify(credentials)),
        secretHints: hintsOf(credentials),
      })
      .returning();
    await recordAudit(tx, { workspaceId: values.workspaceId, actor, action: "connection.added", targetType: "connection", targetId: row!.id, data: { provider: values.provider, retryOwner: values.retryOwner } });
    return toView(row!);
  });
}

const defaultName = (provider: ProviderKind, settings: Record<string, string>) =>
  provider === "stripe" ? "Stripe" : provider === "chargebee" ? `Chargebee (${settings.site})` : "Sandbox";

export async function listConnections(db: DbOrTx, workspaceId: string): Promise<ConnectionView[]> {
  const rows = await db.select().from(connections).where(eq(connections.workspaceId, workspaceId)).orderBy(asc(connections.createdAt));
  return rows.map(toView);
}

/** A connection of a workspace (or, for webhook routes that know only the id, any workspace). */
export async function getConnection(db: DbOrTx, connectionId: string, workspaceId?: string): Promise<Connection> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, connectionId), workspaceId ? eq(connections.workspaceId, workspaceId) : undefined));
  if (!row) throw new AppError("not_found", `No connection with id ${connectionId}${workspaceId ? " in this workspace" : ""}.`);
  return row;
}

const CACHE_MS = 5_000;
const cache = new Map<string, { row: Connection; until: number }>();

/**
 * The webhook hot path reads its connection from a cache of a few seconds. A rotation made
 * in this process clears it at once; one made elsewhere (the CLI) is seen within 5 s, and
 * during a rotation both secrets are valid anyway.
 */
export async function getConnectionCached(db: DbOrTx, connectionId: string, now = Date.now()): Promise<Connection> {
  const hit = cache.get(connectionId);
  if (hit && hit.until > now) return hit.row;
  const row = await getConnection(db, connectionId);
  cache.set(connectionId, { row, until: now + CACHE_MS });
  return row;
}

const forget = (connectionId: string) => cache.delete(connectionId);

/** Replace secrets (rotation): the given fields change, the others stay; audited; re-encrypted under the current key. */
export async function rotateSecrets(
  db: Db,
  workspaceId: string,
  connectionId: string,
  change: { secretKey?: string; webhookSecrets?: string[]; apiKey?: string; webhookUsername?: string; webhookPassword?: string },
  actor: Actor,
): Promise<ConnectionView> {
  const connection = await getConnection(db, connectionId, workspaceId);
  const current = credentialsOf(connection);
  const merged = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as ConnectionCredentials;
  // The merged credentials must pass the same rules as a new connection's.
  parseInput(addConnectionInput, { ...merged, workspaceId });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(connections)
      .set({ secretsCiphertext: encryptSecret(JSON.stringify(merged)), secretHints: hintsOf(merged), updatedAt: new Date() })
      .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)))
      .returning();
    forget(connectionId);
    await recordAudit(tx, { workspaceId, actor, action: "connection.secrets_rotated", targetType: "connection", targetId: connectionId, data: { fields: Object.keys(change) } });
    return toView(row!);
  });
}

export async function setRetryOwner(db: Db, workspaceId: string, connectionId: string, retryOwner: "dunwell" | "provider", actor: Actor) {
  await getConnection(db, connectionId, workspaceId);
  return db.transaction(async (tx) => {
    const [row] = await tx.update(connections).set({ retryOwner, updatedAt: new Date() }).where(eq(connections.id, connectionId)).returning();
    forget(connectionId);
    await recordAudit(tx, { workspaceId, actor, action: "connection.retry_owner_changed", targetType: "connection", targetId: connectionId, data: { retryOwner } });
    return toView(row!);
  });
}

export async function removeConnection(db: Db, workspaceId: string, connectionId: string, actor: Actor): Promise<void> {
  await getConnection(db, connectionId, workspaceId);
  await db.transaction(async (tx) => {
    await tx.delete(connections).where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)));
    forget(connectionId);
    await recordAudit(tx, { workspaceId, actor, action: "connection.removed", targetType: "connection", targetId: connectionId });
  });
}
