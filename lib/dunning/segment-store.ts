import { eq, sql } from "drizzle-orm";
import { policies, segments, workspaces } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { workspaceClock } from "./clock";
import { conditionMatches, segmentFields, validateSegmentRules, type SegmentAttributes, type SegmentCondition, type SegmentField, type SegmentOp, type SegmentRule } from "./segments";
import type { ValidationError } from "./policy";
import type { DeclineCategory } from "./types";

/**
 * Saving the workspace's segment rules, and counting the customers each rule would take.
 * Choosing a policy for a new case stays in choose-policy.ts; the counts here mirror its
 * attributesOf for a customer at rest (see customerAttributes).
 */

/** The most customers a count evaluates; beyond it the counts say they are capped. */
export const MAX_CUSTOMERS_COUNTED = 20_000;

/** "segment 2, condition 1, value: …" from the schema's "[1].conditions[0].value: …". */
export function describeSegmentErrors(errors: readonly ValidationError[]): string[] {
  return errors.map(({ path, message }) => {
    const match = /^\[(\d+)\](?:\.(name|policyKey|conditions))?(?:\[(\d+)\])?(?:\.(\w+))?/.exec(path);
    if (!match) return path ? `${path}: ${message}` : message;
    const [, rule, field, condition, part] = match;
    const where = [`segment ${Number(rule) + 1}`, condition !== undefined ? `condition ${Number(condition) + 1}` : field, part].filter(Boolean).join(", ");
    return `${where}: ${message}`;
  });
}

/** Replace the workspace's ordered rule list in one transaction (position = index). */
export async function saveSegments(db: Db, workspaceId: string, input: unknown, actor: Actor): Promise<SegmentRule[]> {
  const checked = validateSegmentRules(input);
  if (!checked.ok) throw new AppError("invalid_input", describeSegmentErrors(checked.errors).join("; "), { errors: checked.errors });
  const rules = checked.rules;
  return db.transaction(async (tx) => {
    // One writer at a time per workspace: the list is replaced as a whole.
    const [workspace] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for("update");
    if (!workspace) throw new AppError("not_found", "No such workspace.");
    const keys = new Set((await tx.select({ key: policies.key }).from(policies).where(eq(policies.workspaceId, workspaceId))).map((p) => p.key));
    const missing = rules.findIndex((rule) => !keys.has(rule.policyKey));
    if (missing >= 0) throw new AppError("invalid_input", `segment ${missing + 1}: there is no policy "${rules[missing]!.policyKey}"; create it or choose another.`);
    await tx.delete(segments).where(eq(segments.workspaceId, workspaceId));
    if (rules.length) {
      await tx.insert(segments).values(rules.map((rule, position) => ({ id: newId("seg"), workspaceId, position, name: rule.name, policyKey: rule.policyKey, conditions: rule.conditions })));
    }
    await recordAudit(tx, { workspaceId, actor, action: "segments.saved", targetType: "workspace", targetId: workspaceId, data: { rules: rules.map((r) => ({ name: r.name, policyKey: r.policyKey, conditions: r.conditions.length })) } });
    return rules;
  });
}

const numericFields: ReadonlySet<SegmentField> = new Set(["mrr_minor", "tenure_days", "lifetime_value_minor", "past_failures"]);

/**
 * A condition from a form's three controls: numbers for numeric fields, a comma-separated
 * list for in/not_in. Returns the condition for the schema to judge, or a message.
 */
export function conditionFromText(field: string, op: string, text: string): { ok: true; condition: SegmentCondition } | { ok: false; message: string } {
  if (!(segmentFields as readonly string[]).includes(field)) return { ok: false, message: "choose a field" };
  const numeric = numericFields.has(field as SegmentField);
  const parts = op === "in" || op === "not_in" ? text.split(",").map((p) => p.trim()).filter(Boolean) : [text.trim()];
  if (parts.length === 0 || parts.some((p) => p === "")) return { ok: false, message: "enter a value" };
  const values: (string | number)[] = [];
  for (const part of parts) {
    // Text compares case-insensitively (conditionMatches), so it is kept as typed.
    if (!numeric) values.push(part);
    else if (/^-?\d+(\.\d+)?$/.test(part)) values.push(Number(part));
    else return { ok: false, message: `${field} is a number: “${part}” is not one${field.endsWith("_minor") ? " (minor units, e.g. 4900 for 49.00)" : ""}` };
  }
  const value = op === "in" || op === "not_in" ? values : values[0]!;
  return { ok: true, condition: { field: field as SegmentField, op: op as SegmentOp, value } };
}

/** How a condition's value reads in a text input ("US, CA"). */
export const conditionText = (value: SegmentCondition["value"]) => (Array.isArray(value) ? value.join(", ") : String(value));

type AttributeRow = {
  mrr_minor: number | null;
  tenure_days: number | null;
  lifetime_value_minor: number | null;
  past_failures: number | null;
  plan: string | null;
  country: string | null;
  currency: string | null;
  decline_category: string | null;
};

/**
 * Segment attributes of a workspace's customers (at most `limit`), as a rule would see each
 * one at their next failed payment: the subscription is the customer's live one with the
 * highest MRR (else the latest); past_failures counts every failed attempt so far (the
 * failure that opens the case is not "past"); decline_category is that of the customer's
 * latest case (customers never in dunning have none, so category conditions skip them);
 * currency is the subscription's, else the customer's.
 */
export async function customerAttributes(db: DbOrTx, workspaceId: string, now: Date, limit = MAX_CUSTOMERS_COUNTED + 1): Promise<SegmentAttributes[]> {
  const rows = await db.execute<AttributeRow>(sql`
    select s.mrr_minor::int as mrr_minor,
           greatest(0, floor(extract(epoch from (${now.toISOString()}::timestamptz - coalesce(s.started_at, c.created_at))) / 86400))::int as tenure_days,
           (select coalesce(sum(i.amount_paid), 0)::int from invoices i where i.workspace_id = c.workspace_id and i.customer_id = c.id) as lifetime_value_minor,
           (select count(*)::int from payment_attempts a where a.workspace_id = c.workspace_id and a.customer_id = c.id and a.status = 'failed') as past_failures,
           s.plan_name as plan,
           c.country,
           coalesce(s.currency, c.currency) as currency,
           (select d.decline_category from dunning_cases d where d.workspace_id = c.workspace_id and d.customer_id = c.id order by d.opened_at desc limit 1) as decline_category
      from customers c
      left join lateral (
        select sub.mrr_minor, sub.plan_name, sub.started_at, sub.currency
          from subscriptions sub
         where sub.workspace_id = c.workspace_id and sub.customer_id = c.id
         order by (sub.status in ('active', 'trialing', 'past_due', 'unpaid', 'paused')) desc, sub.mrr_minor desc, sub.started_at desc nulls last
         limit 1
      ) s on true
     where c.workspace_id = ${workspaceId}
     order by c.id
     limit ${limit}`);
  return rows.map((row) => ({ ...row, mrr_minor: row.mrr_minor ?? 0, decline_category: row.decline_category as DeclineCategory | null }));
}

export type SegmentReach = {
  /** Customers evaluated (at most MAX_CUSTOMERS_COUNTED). */
  scanned: number;
  /** True when the workspace has more customers than were evaluated. */
  capped: boolean;
  /** Per rule: customers its conditions match, and those it would take (no earlier rule matched). */
  rules: { matching: number; first: number }[];
};

/** Counts for an ordered rule list (the saved one, or a draft of it). */
export async function countSegmentReach(db: DbOrTx, workspaceId: string, rules: readonly { conditions: readonly SegmentCondition[] }[], options: { now?: Date } = {}): Promise<SegmentReach> {
  const now = options.now ?? (await workspaceClock(db, workspaceId)).now();
  const customers = await customerAttributes(db, workspaceId, now);
  const capped = customers.length > MAX_CUSTOMERS_COUNTED;
  const evaluated = capped ? customers.slice(0, MAX_CUSTOMERS_COUNTED) : customers;
  const counts = rules.map(() => ({ matching: 0, first: 0 }));
  for (const attributes of evaluated) {
    let taken = false;
    rules.forEach((rule, i) => {
      if (!rule.conditions.every((condition) => conditionMatches(condition, attributes))) return;
      counts[i]!.matching++;
      if (!taken) counts[i]!.first++;
      taken = true;
    });
  }
  return { scanned: evaluated.length, capped, rules: counts };
}

/** Customers of the workspace whose attributes meet every condition (none: everyone). */
export async function countMatchingCustomers(db: DbOrTx, workspaceId: string, conditions: readonly SegmentCondition[], options: { now?: Date } = {}) {
  const reach = await countSegmentReach(db, workspaceId, [{ conditions }], options);
  return { matching: reach.rules[0]!.matching, scanned: reach.scanned, capped: reach.capped };
}
