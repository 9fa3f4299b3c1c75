import { boolean, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { workspaces } from "./workspaces";

export type WorkspaceBranding = {
  name?: string;
  logoUrl?: string;
  color?: string;
  senderName?: string;
  supportEmail?: string;
  postalAddress?: string;
};

/**
 * A workspace's rules and branding for messages. No row means the defaults below: send
 * between 08:00 and 21:00 in the customer's local time, two reminders per case per 7 days.
 */
export const messagingSettings = pgTable("messaging_settings", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  /** Messages go out from this local hour (inclusive)… */
  sendWindowStartHour: integer("send_window_start_hour").notNull().default(8),
  /** …until this local hour (exclusive); the rest of the day is quiet. */
  sendWindowEndHour: integer("send_window_end_hour").notNull().default(21),
  maxRemindersPer7Days: integer("max_reminders_per_7_days").notNull().default(2),
  branding: jsonb("branding").$type<WorkspaceBranding>().notNull().default({}),
  smsEnabled: boolean("sms_enabled").notNull().default(false),
  ...timestamps,
});

export type MessagingSettingsRow = typeof messagingSettings.$inferSelect;
