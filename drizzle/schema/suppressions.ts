import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { utc } from "./columns";
import type { MessageChannelKind } from "./messages";
import { workspaces } from "./workspaces";

export type SuppressionReason = "unsubscribed" | "bounced" | "complained" | "do_not_contact";

/** Recipients a workspace must not write to on a channel, and why. Addresses are stored lower-case. */
export const suppressions = pgTable(
  "suppressions",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    channel: text("channel").$type<MessageChannelKind>().notNull(),
    recipient: text("recipient").notNull(),
    reason: text("reason").$type<SuppressionReason>().notNull(),
    createdAt: utc("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("suppressions_workspace_channel_recipient").on(t.workspaceId, t.channel, t.recipient)],
);

export type Suppression = typeof suppressions.$inferSelect;
