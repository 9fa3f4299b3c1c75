import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { customers } from "./customers";
import { dunningCases } from "./dunning-cases";
import { dunningSteps } from "./dunning-steps";
import { workspaces } from "./workspaces";

export type MessageStatus = "queued" | "sent" | "delivered" | "bounced" | "complained" | "skipped" | "failed";
export type MessageChannelKind = "email" | "sms";

/**
 * Every message Dunwell sent, skipped or failed to send, with its rendered content. In the
 * embedded mode the row IS the delivery (the outbox); with Resend it records what was sent
 * and follows Resend's delivery webhooks. One row per idempotency key: a retry reuses it.
 */
export const messages = pgTable(
  "messages",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    caseId: text("case_id").references(() => dunningCases.id, { onDelete: "set null" }),
    customerId: text("customer_id").references(() => customers.id, { onDelete: "set null" }),
    stepId: text("step_id").references(() => dunningSteps.id, { onDelete: "set null" }),
    channel: text("channel").$type<MessageChannelKind>().notNull(),
    /** The address (or number) it went to; null when skipped for having none. */
    recipient: text("recipient"),
    template: text("template").notNull(),
    /** The language it was written in (en, de, fr, es). */
    locale: text("locale").notNull(),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** Built from the cause (the step): the same key never makes a second message. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** Resend's email id; null in the outbox. */
    providerId: text("provider_id"),
    status: text("status").$type<MessageStatus>().notNull().default("queued"),
    skipReason: text("skip_reason"),
    error: text("error"),
    /** Transport calls made for this message (a 429 or 5xx is retried with the same key). */
    attempts: integer("attempts").notNull().default(0),
    sentAt: utc("sent_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("messages_idempotency_key").on(t.idempotencyKey),
    index("messages_workspace_created").on(t.workspaceId, t.createdAt),
    index("messages_case_created").on(t.caseId, t.createdAt),
    // The notice-retry sweep's scan, every minute in production (lib/messaging/notice-retry.ts): only rows in flight or failed.
    index("messages_notice_retry").on(t.updatedAt).where(sql`${t.status} in ('failed', 'queued') and ${t.idempotencyKey} like 'portal:%'`),
    index("messages_provider_id").on(t.providerId),
  ],
);

export type Message = typeof messages.$inferSelect;
