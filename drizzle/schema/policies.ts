import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { workspaces } from "./workspaces";

/** A named retry policy; its definitions are versioned (a case keeps the version it started with). */
export const policies = pgTable(
  "policies",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    currentVersion: integer("current_version").notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex("policies_workspace_key").on(t.workspaceId, t.key)],
);

export const policyVersions = pgTable(
  "policy_versions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    policyId: text("policy_id")
      .notNull()
      .references(() => policies.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The validated policy JSON (lib/dunning/policy.ts, docs/policy-format.md). */
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: utc("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("policy_versions_policy_version").on(t.policyId, t.version), index("policy_versions_workspace").on(t.workspaceId)],
);

/** Ordered rules choosing a policy from customer attributes; the first match wins. */
export const segments = pgTable(
  "segments",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    policyKey: text("policy_key").notNull(),
    conditions: jsonb("conditions").$type<unknown[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [index("segments_workspace_position").on(t.workspaceId, t.position)],
);

export type Policy = typeof policies.$inferSelect;
export type PolicyVersion = typeof policyVersions.$inferSelect;
export type Segment = typeof segments.$inferSelect;
