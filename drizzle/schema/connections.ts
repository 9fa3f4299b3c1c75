import { index, jsonb, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { workspaces } from "./workspaces";

export const providerEnum = pgEnum("billing_provider", ["stripe", "chargebee", "sandbox"]);
export const retryOwnerEnum = pgEnum("retry_owner", ["dunwell", "provider"]);
export type ProviderKind = (typeof providerEnum.enumValues)[number];
export type RetryOwner = (typeof retryOwnerEnum.enumValues)[number];

/** Last four characters of each secret, the only part ever shown again. */
export type SecretHints = Record<string, string | string[]>;

export type SyncState = {
  phase: "idle" | "backfill" | "events" | "invoices" | "done" | "failed";
  done: number;
  total: number | null;
  message?: string;
  startedAt?: string;
  /** Last progress report; a running sync silent for 15 minutes is taken as dead. */
  heartbeatAt?: string;
  finishedAt?: string;
};

export const connections = pgTable(
  "connections",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: providerEnum("provider").notNull(),
    name: text("name").notNull(),
    status: text("status").$type<"active" | "disabled">().notNull().default("active"),
    retryOwner: retryOwnerEnum("retry_owner").notNull().default("dunwell"),
    /** Override of the provider API base URL (local test servers, development). */
    apiBase: text("api_base"),
    /** Non-secret settings: Chargebee site, Stripe account id and publishable key, … */
    settings: jsonb("settings").$type<Record<string, string>>().notNull().default({}),
    /** AES-256-GCM ciphertext of the JSON credentials (lib/crypto/secrets.ts). */
    secretsCiphertext: text("secrets_ciphertext").notNull(),
    secretHints: jsonb("secret_hints").$type<SecretHints>().notNull().default({}),
    /** Provider-specific reconciliation cursor (last event seen, …). */
    syncCursor: jsonb("sync_cursor").$type<Record<string, string | number>>().notNull().default({}),
    syncState: jsonb("sync_state").$type<SyncState>().notNull().default({ phase: "idle", done: 0, total: null }),
    lastSyncedAt: utc("last_synced_at"),
    backfilledAt: utc("backfilled_at"),
    ...timestamps,
  },
  (t) => [index("connections_workspace").on(t.workspaceId)],
);

export type Connection = typeof connections.$inferSelect;
