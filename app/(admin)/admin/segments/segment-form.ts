import "server-only";
import type { Actor } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { listSegments } from "@/lib/dunning/policies";
import { conditionFromText, countSegmentReach, saveSegments } from "@/lib/dunning/segment-store";
import { segmentConditionSchema, type SegmentCondition, type SegmentRule } from "@/lib/dunning/segments";
import { AppError } from "@/lib/errors";

/**
 * The segments page posts one rule at a time (no JavaScript needed): these turn such a form
 * into the workspace's whole ordered list, which lib/dunning/segment-store.ts saves.
 *
 * Form fields: segmentId (absent when adding), intent (save | add | up | down | delete |
 * drop:N), name, policyKey, position, and per condition row i: field.i, op.i, value.i.
 */

/** Condition rows a form may carry (the schema allows 20, plus the blank "add" row). */
export const MAX_CONDITION_ROWS = 21;

export type SegmentFormInput = { segmentId?: string; intent: string; name?: string; policyKey?: string; position?: number; [field: string]: unknown };

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The form's condition rows; a row without a value is left out (the blank row adds nothing). */
function conditionsOf(form: SegmentFormInput, drop?: number): SegmentCondition[] {
  const conditions: SegmentCondition[] = [];
  for (let i = 0; i < MAX_CONDITION_ROWS; i++) {
    const value = text(form[`value.${i}`]);
    if (i === drop || value === "") continue;
    const parsed = conditionFromText(text(form[`field.${i}`]), text(form[`op.${i}`]), value);
    if (!parsed.ok) throw new AppError("invalid_input", `Condition ${i + 1}: ${parsed.message}.`);
    const checked = segmentConditionSchema.safeParse(parsed.condition);
    if (!checked.success) throw new AppError("invalid_input", `Condition ${i + 1}: ${checked.error.issues[0]?.message ?? "is not valid"}.`);
    conditions.push(checked.data);
  }
  return conditions;
}

function ruleOf(form: SegmentFormInput, drop?: number): SegmentRule {
  const name = text(form.name);
  const policyKey = text(form.policyKey);
  if (!name) throw new AppError("invalid_input", "Name: give the segment a name, e.g. “High value”.");
  if (!policyKey) throw new AppError("invalid_input", "Policy: choose the policy this segment uses.");
  return { name, policyKey, conditions: conditionsOf(form, drop) };
}

async function savedRules(db: Db, workspaceId: string) {
  const rows = await listSegments(db, workspaceId);
  return { ids: rows.map((r) => r.id), rules: rows.map((r): SegmentRule => ({ name: r.name, policyKey: r.policyKey, conditions: r.conditions as SegmentCondition[] })) };
}

export type SegmentOutcome = { done: "added" | "saved" | "condition_removed" | "moved" | "deleted"; name: string; position: number; message: string };

/** Apply one button of one rule's form to the saved list and save the whole list. */
export async function applySegmentIntent(db: Db, workspaceId: string, form: SegmentFormInput, actor: Actor): Promise<SegmentOutcome> {
  const { ids, rules } = await savedRules(db, workspaceId);
  const index = form.segmentId ? ids.indexOf(form.segmentId) : -1;
  if (form.intent !== "add" && index < 0) throw new AppError("conflict", "The segments changed since this page was opened; reload it and try again.");
  const current = rules[index];
  let outcome: SegmentOutcome;
  const drop = /^drop:(\d+)$/.exec(form.intent);
  if (form.intent === "add") {
    const rule = ruleOf(form);
    rules.push(rule);
    outcome = { done: "added", name: rule.name, position: rules.length - 1, message: `Added “${rule.name}”.` };
  } else if (form.intent === "save" || drop) {
    const rule = ruleOf(form, drop ? Number(drop[1]) : undefined);
    rules[index] = rule;
    outcome = { done: drop ? "condition_removed" : "saved", name: rule.name, position: index, message: `Saved “${rule.name}”.` };
  } else if (form.intent === "up" || form.intent === "down") {
    const to = form.intent === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= rules.length) throw new AppError("conflict", `“${current!.name}” is already ${form.intent === "up" ? "first" : "last"}.`);
    [rules[index], rules[to]] = [rules[to]!, rules[index]!];
    outcome = { done: "moved", name: current!.name, position: to, message: `Moved “${current!.name}” to position ${to + 1}.` };
  } else if (form.intent === "delete") {
    rules.splice(index, 1);
    outcome = { done: "deleted", name: current!.name, position: Math.max(0, index - 1), message: `Deleted “${current!.name}”.` };
  } else {
    throw new AppError("invalid_input", "Unknown button; reload the page.");
  }
  await saveSegments(db, workspaceId, rules, actor);
  return outcome;
}

/** Counts for the list with this form's conditions in its place (a new rule goes last). */
export async function draftReach(db: Db, workspaceId: string, form: SegmentFormInput) {
  const { rules } = await savedRules(db, workspaceId);
  const conditions = conditionsOf(form);
  const position = Math.min(form.position ?? rules.length, rules.length);
  const draft = rules.map((r) => ({ conditions: r.conditions }));
  draft[position] = { conditions };
  const reach = await countSegmentReach(db, workspaceId, draft);
  const { matching, first } = reach.rules[position]!;
  return { matching, first, scanned: reach.scanned, capped: reach.capped, message: `${matching} match, ${first} would use this segment` };
}
