import { and, eq } from "drizzle-orm";
import { templateOverrides } from "@/drizzle/schema";
import { actorLabel, recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { messageTemplates, type MessageTemplate } from "@/lib/dunning/types";
import { AppError } from "@/lib/errors";
import type { MessageOverrides } from "./copy/compose";
import { placeholderNames } from "./copy/placeholders";
import { messageBlocks, type MessageBlock } from "./copy/types";
import { messageLocales, type MessageLocale } from "./locale";

/**
 * Operators' wording per template and language: a subject and named blocks that replace the
 * default copy (lib/messaging/copy). Checked before it is stored, so a typo in a placeholder
 * is caught in the editor rather than in a customer's inbox.
 */

/** What the editor submits: names as typed, empty texts meaning "the default". */
export type OverrideDraft = { template: string; locale: string; subject?: string | null; blocks?: Record<string, string | null | undefined> };

export type CheckedOverride = { template: MessageTemplate; locale: MessageLocale; subject: string | null; blocks: Partial<Record<MessageBlock, string>> };

export type OverrideCheck = { ok: true; override: CheckedOverride } | { ok: false; problems: string[] };

const SUBJECT_MAX = 200;
const BLOCK_MAX = 4_000;
const knownPlaceholders = new Set<string>(placeholderNames);
const allowedPlaceholders = placeholderNames.map((n) => `{${n}}`).join(", ");

const isTemplate = (value: string): value is MessageTemplate => (messageTemplates as readonly string[]).includes(value);
const isLocale = (value: string): value is MessageLocale => (messageLocales as readonly string[]).includes(value);
const isBlock = (value: string): value is MessageBlock => (messageBlocks as readonly string[]).includes(value);

/** Problems with one text: unknown placeholders (returned separately, to be listed together) and an unclosed optional part. */
function inspect(text: string, where: string, unknown: string[], problems: string[], max: number) {
  if (text.length > max) problems.push(`The ${where} is ${text.length.toLocaleString("en")} characters long; keep it under ${max.toLocaleString("en")}.`);
  for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) if (!knownPlaceholders.has(name!)) unknown.push(`{${name}} in the ${where}`);
  if (text.split("[[").length !== text.split("]]").length) {
    problems.push(`The ${where} opens an optional part with "[[" without closing it with "]]" (or the other way round).`);
  }
}

type Key = { template: MessageTemplate; locale: MessageLocale };

function keyOfDraft({ template, locale }: { template: string; locale: string }): Key | { problem: string } {
  if (!isTemplate(template)) return { problem: `There is no template "${template}". Templates: ${messageTemplates.join(", ")}.` };
  if (!isLocale(locale)) return { problem: `Messages are not written in "${locale}". Choose one of: ${messageLocales.join(", ")}.` };
  return { template, locale };
}

/** The template and language a draft is for, or an invalid_input error saying which exist. */
export function templateAndLocale(draft: { template: string; locale: string }): Key {
  const key = keyOfDraft(draft);
  if ("problem" in key) throw new AppError("invalid_input", key.problem);
  return key;
}

/** The same checks saveOverride runs, as a list a person can act on; pure, so the editor shows them as you type. */
export function checkOverride(draft: OverrideDraft): OverrideCheck {
  const key = keyOfDraft(draft);
  if ("problem" in key) return { ok: false, problems: [key.problem] };
  const { template, locale } = key;

  const problems: string[] = [];
  const unknown: string[] = [];
  const subject = draft.subject?.trim() || null;
  if (subject) inspect(subject, "subject", unknown, problems, SUBJECT_MAX);
  const blocks: Partial<Record<MessageBlock, string>> = {};
  for (const [name, value] of Object.entries(draft.blocks ?? {})) {
    const text = value?.trim();
    if (!text) continue;
    if (!isBlock(name)) {
      problems.push(`There is no block "${name}". Blocks: ${messageBlocks.join(", ")}.`);
      continue;
    }
    inspect(text, `${name} block`, unknown, problems, BLOCK_MAX);
    blocks[name] = text;
  }
  if (unknown.length > 0) {
    const plural = unknown.length > 1;
    problems.unshift(`Unknown placeholder${plural ? "s" : ""}: ${unknown.join("; ")}. The placeholders you can use are ${allowedPlaceholders}.`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, override: { template, locale, subject, blocks } };
}

/** The override as checked, or an invalid_input error listing every problem. */
export function validOverride(draft: OverrideDraft): CheckedOverride {
  const checked = checkOverride(draft);
  if (!checked.ok) throw new AppError("invalid_input", checked.problems.join(" "), { problems: checked.problems });
  return checked.override;
}

const rowKey = (workspaceId: string, template: string, locale: string) =>
  and(eq(templateOverrides.workspaceId, workspaceId), eq(templateOverrides.template, template), eq(templateOverrides.locale, locale));

/** The operator's wording for a template in a language, in the shape renderMessage takes; null when there is none. */
export async function getOverride(db: DbOrTx, workspaceId: string, template: MessageTemplate, locale: MessageLocale): Promise<MessageOverrides | null> {
  const [row] = await db.select({ subject: templateOverrides.subject, blocks: templateOverrides.blocks }).from(templateOverrides).where(rowKey(workspaceId, template, locale));
  return row ?? null;
}

/** Which templates and languages a workspace has customized, and when. */
export async function listOverrides(db: DbOrTx, workspaceId: string) {
  return db
    .select({ template: templateOverrides.template, locale: templateOverrides.locale, updatedAt: templateOverrides.updatedAt, updatedBy: templateOverrides.updatedBy })
    .from(templateOverrides)
    .where(eq(templateOverrides.workspaceId, workspaceId));
}

export type SavedOverride = CheckedOverride & { updatedAt: Date };

/**
 * Store the wording for one template and language (replacing the previous one). Saving
 * nothing at all, every field left empty, goes back to the default copy.
 */
export async function saveOverride(db: Db, workspaceId: string, draft: OverrideDraft, actor: Actor): Promise<SavedOverride | null> {
  const override = validOverride(draft);
  const { template, locale, subject, blocks } = override;
  if (!subject && Object.keys(blocks).length === 0) {
    await deleteOverride(db, workspaceId, template, locale, actor);
    return null;
  }
  return db.transaction(async (tx) => {
    const values = { subject, blocks, updatedBy: actorLabel(actor), updatedAt: new Date() };
    const [row] = await tx
      .insert(templateOverrides)
      .values({ workspaceId, template, locale, ...values })
      .onConflictDoUpdate({ target: [templateOverrides.workspaceId, templateOverrides.template, templateOverrides.locale], set: values })
      .returning({ updatedAt: templateOverrides.updatedAt });
    await recordAudit(tx, { workspaceId, actor, action: "template_override.saved", targetType: "template", targetId: `${template}:${locale}`, data: { template, locale, subject, blocks } });
    return { ...override, updatedAt: row!.updatedAt };
  });
}

/** Back to the default copy for one template and language; true when there was an override. */
export async function deleteOverride(db: Db, workspaceId: string, template: string, locale: string, actor: Actor): Promise<boolean> {
  templateAndLocale({ template, locale });
  return db.transaction(async (tx) => {
    const removed = await tx.delete(templateOverrides).where(rowKey(workspaceId, template, locale)).returning({ template: templateOverrides.template });
    if (removed.length === 0) return false;
    await recordAudit(tx, { workspaceId, actor, action: "template_override.deleted", targetType: "template", targetId: `${template}:${locale}`, data: { template, locale } });
    return true;
  });
}
