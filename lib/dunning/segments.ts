import { z } from "zod";
import { toValidationErrors, type ValidationError } from "./policy";
import { declineCategories, type DeclineCategory } from "./types";

/**
 * Segments send different customers to different policies: an ordered list of rules over
 * customer attributes, each naming a policy. The first rule whose conditions all hold wins;
 * no match means the workspace's default policy. A rule without conditions matches everyone.
 */

export const segmentFields = ["mrr_minor", "tenure_days", "lifetime_value_minor", "past_failures", "plan", "country", "currency", "decline_category"] as const;
export type SegmentField = (typeof segmentFields)[number];
export const segmentOps = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "not_in"] as const;
export type SegmentOp = (typeof segmentOps)[number];

const numericFields: ReadonlySet<SegmentField> = new Set(["mrr_minor", "tenure_days", "lifetime_value_minor", "past_failures"]);
const orderingOps: ReadonlySet<SegmentOp> = new Set(["gt", "gte", "lt", "lte"]);
const isListOp = (op: SegmentOp) => op === "in" || op === "not_in";

type Scalar = number | string;

function conditionIssues(c: { field: SegmentField; op: SegmentOp; value: Scalar | Scalar[] }): { path: string; message: string }[] {
  const numeric = numericFields.has(c.field);
  if (!numeric && orderingOps.has(c.op)) return [{ path: "op", message: `"${c.op}" compares numbers but ${c.field} is text: use eq, neq, in or not_in` }];
  if (isListOp(c.op) !== Array.isArray(c.value)) {
    const example = numeric ? "[1000, 5000]" : c.field === "decline_category" ? '["soft", "insufficient_funds"]' : '["US", "CA"]';
    return [{ path: "value", message: isListOp(c.op) ? `"${c.op}" needs a list, e.g. ${example}` : `"${c.op}" compares one value, not a list (use in or not_in for a list)` }];
  }
  const values = Array.isArray(c.value) ? c.value : [c.value];
  if (values.length === 0) return [{ path: "value", message: "must list at least one value" }];
  if (numeric && values.some((v) => typeof v !== "number")) return [{ path: "value", message: `${c.field} is a number: write it without quotes${c.field.endsWith("_minor") ? " (in minor units, e.g. 4900 for 49.00)" : ""}` }];
  if (!numeric && values.some((v) => typeof v !== "string")) return [{ path: "value", message: `${c.field} is text: put the value in quotes` }];
  if (c.field === "decline_category") {
    const unknown = values.find((v) => !(declineCategories as readonly Scalar[]).includes(v));
    if (unknown !== undefined) return [{ path: "value", message: `"${unknown}" is not a decline category; use one of: ${declineCategories.join(", ")}` }];
  }
  return [];
}

const scalarSchema = z.union([z.number(), z.string()]);

export const segmentConditionSchema = z
  .strictObject({
    field: z.enum(segmentFields, { error: `must be one of: ${segmentFields.join(", ")}` }),
    op: z.enum(segmentOps, { error: `must be one of: ${segmentOps.join(", ")}` }),
    value: z.union([scalarSchema, z.array(scalarSchema)], { error: "must be a number, text, or a list of them" }),
  })
  .superRefine((condition, ctx) => {
    for (const issue of conditionIssues(condition)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  });

export const segmentRuleSchema = z.strictObject({
  name: z.string({ error: "must be text" }).trim().min(1, { error: "give the segment a name" }).max(80, { error: "must be at most 80 characters" }),
  policyKey: z.string({ error: "must be text" }).trim().min(1, { error: "name the policy this segment uses" }),
  conditions: z.array(segmentConditionSchema, { error: "must be a list of conditions" }).max(20, { error: "must have at most 20 conditions" }),
});

export const segmentRulesSchema = z.array(segmentRuleSchema).superRefine((rules, ctx) => {
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const first = seen.get(rule.name.toLowerCase());
    if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "name"], message: `repeats the name of segment ${first + 1}: names must be unique` });
    else seen.set(rule.name.toLowerCase(), i);
  });
});

export type SegmentCondition = z.output<typeof segmentConditionSchema>;
export type SegmentRule = z.output<typeof segmentRuleSchema>;

/** What a case's customer looks like to the rules; a missing (null or empty) attribute matches no condition. */
export type SegmentAttributes = {
  mrr_minor?: number | null;
  tenure_days?: number | null;
  lifetime_value_minor?: number | null;
  past_failures?: number | null;
  plan?: string | null;
  country?: string | null;
  currency?: string | null;
  decline_category?: DeclineCategory | null;
};

export function validateSegmentRules(input: unknown): { ok: true; rules: SegmentRule[] } | { ok: false; errors: ValidationError[] } {
  const parsed = segmentRulesSchema.safeParse(input);
  return parsed.success ? { ok: true, rules: parsed.data } : { ok: false, errors: toValidationErrors(parsed.error.issues) };
}

const normalize = (v: Scalar) => (typeof v === "string" ? v.trim().toLowerCase() : v);

export function conditionMatches(condition: SegmentCondition, attributes: SegmentAttributes): boolean {
  const actual = attributes[condition.field];
  if (actual === null || actual === undefined || actual === "") return false;
  const left = normalize(actual);
  const values = (Array.isArray(condition.value) ? condition.value : [condition.value]).map(normalize);
  const [right] = values;
  switch (condition.op) {
    case "eq":
      return left === right;
    case "neq":
      return left !== right;
    case "in":
      return values.includes(left);
    case "not_in":
      return !values.includes(left);
    default: {
      // Ordering only makes sense between numbers; the schema refuses anything else.
      if (typeof left !== "number" || typeof right !== "number") return false;
      if (condition.op === "gt") return left > right;
      if (condition.op === "gte") return left >= right;
      if (condition.op === "lt") return left < right;
      return left <= right;
    }
  }
}

/** The first rule whose conditions all hold, else the default policy. */
export function chooseSegment(rules: readonly SegmentRule[], attributes: SegmentAttributes, defaultPolicyKey: string): { policyKey: string; segment: string | null } {
  const match = rules.find((rule) => rule.conditions.every((condition) => conditionMatches(condition, attributes)));
  return match ? { policyKey: match.policyKey, segment: match.name } : { policyKey: defaultPolicyKey, segment: null };
}
