import { jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { workspaces } from "./workspaces";

/**
 * An operator's wording for one template in one language: a subject and named blocks
 * (lib/messaging/copy/types.ts messageBlocks) that replace the default copy. A block left
 * out, or no row at all, means the default words.
 */
export const templateOverrides = pgTable(
  "template_overrides",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    template: text("template").notNull(),
    /** The message language (en, de, fr, es), as resolved for the customer. */
    locale: text("locale").notNull(),
    subject: text("subject"),
    blocks: jsonb("blocks").$type<Record<string, string>>().notNull().default({}),
    /** The audit actor ("user:usr_…", "cli") of the last save. */
    updatedBy: text("updated_by").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ name: "template_overrides_pk", columns: [t.workspaceId, t.template, t.locale] })],
);

export type TemplateOverride = typeof templateOverrides.$inferSelect;
