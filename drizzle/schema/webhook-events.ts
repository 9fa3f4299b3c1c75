import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { utc } from "./columns";
import { connections, providerEnum } from "./connections";
import { workspaces } from "./workspaces";

export type InboxStatus = "received" | "processing" | "processed" | "ignored" | "failed";

/** The webhook inbox: every verified event, stored raw before it is acknowledged. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    provider: providerEnum("provider").notNull(),
    providerEventId: text("provider_event_id").notNull(),
    type: text("type").notNull(),
    /** The exact bytes received (or, from reconciliation, the fetched event as JSON); parsed when processed. */
    body: text("body").notNull(),
    source: text("source").$type<"webhook" | "sync">().notNull().default("webhook"),
    status: text("status").$type<InboxStatus>().notNull().default("received"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    occurredAt: utc("occurred_at").notNull(),
    receivedAt: utc("received_at").notNull().defaultNow(),
    nextAttemptAt: utc("next_attempt_at"),
    processedAt: utc("processed_at"),
  },
  (t) => [
    uniqueIndex("webhook_events_connection_event").on(t.connectionId, t.providerEventId),
    index("webhook_events_workspace_received").on(t.workspaceId, t.receivedAt),
    index("webhook_events_pending").on(t.status, t.nextAttemptAt),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
