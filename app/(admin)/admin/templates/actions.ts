"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { operatorAction, type ActionResult } from "@/lib/actions";
import { getDb } from "@/lib/db/client";
import { deleteOverride, saveOverride, type OverrideDraft } from "@/lib/messaging/overrides";
import { previewDraft, sendTestMessage, type PreviewMessage } from "@/lib/messaging/template-editor";
import { localeLabel } from "../outbox/_components/message-ui";

/** Each block's textarea is named "block:<name>"; the names are checked by saveOverride. */
const BLOCK = "block:";
const draftForm = z
  .object({
    template: z.string({ error: "the form lost its template; reload the page" }),
    locale: z.string({ error: "the form lost its language; reload the page" }),
    subject: z.string().optional(),
  })
  .catchall(z.unknown());

function blocksOf(entries: Iterable<[string, unknown]>): Record<string, string> {
  const blocks: Record<string, string> = {};
  for (const [name, value] of entries) if (name.startsWith(BLOCK) && typeof value === "string") blocks[name.slice(BLOCK.length)] = value;
  return blocks;
}

const draftOf = (input: z.output<typeof draftForm>): OverrideDraft => ({ template: input.template, locale: input.locale, subject: input.subject, blocks: blocksOf(Object.entries(input)) });

const editorHref = (template: string, locale: string) => `/admin/templates/${encodeURIComponent(template)}?locale=${encodeURIComponent(locale)}`;

function revalidateTemplate(template: string, locale: string) {
  revalidatePath("/admin/templates");
  revalidatePath(editorHref(template, locale).split("?")[0]!);
}

export type PreviewResult = Omit<PreviewMessage, "text"> & { problems: string[] };

/** The live preview (debounced as the operator types) and the Preview button without JavaScript. */
export const previewTemplateAction = operatorAction("admin", draftForm, async (input, context) => {
  const { subject, html, problems } = await previewDraft(await getDb(), context.workspace, draftOf(input));
  return { message: "Preview updated.", data: { subject, html, problems } satisfies PreviewResult };
});

const saveTemplate = operatorAction<typeof draftForm, never>("admin", draftForm, async (input, context) => {
  const draft = draftOf(input);
  const saved = await saveOverride(await getDb(), context.workspace.id, draft, { kind: "user", userId: context.user.id });
  revalidateTemplate(draft.template, draft.locale);
  const language = localeLabel(draft.locale);
  return { message: saved ? `Saved. ${language} messages use this wording from now on.` : `Nothing to save, so ${language} messages use the default wording.` };
});

const sendTest = operatorAction<typeof draftForm, never>("admin", draftForm, async (input, context) => {
  const sent = await sendTestMessage(await getDb(), context.workspace, draftOf(input), { userId: context.user.id, email: context.user.email }, new Date());
  revalidatePath("/admin/outbox");
  return {
    message:
      sent.delivered === "resend"
        ? `Test sent to ${sent.recipient}, with the sample customer's details. It is also in the Outbox.`
        : `No email provider is configured, so the test is in the Outbox (addressed to ${sent.recipient}) instead of being delivered.`,
  };
});

export type TemplateFormState = ActionResult<PreviewResult> & { intent: "save" | "test" | "preview"; draft: { subject: string; blocks: Record<string, string> } };

/**
 * The editor form: Save, Send me a test, or Preview (the button shown without JavaScript).
 * What was typed comes back with the result, so a page reloaded without JavaScript keeps it.
 */
export async function templateFormAction(_previous: TemplateFormState | null, formData: FormData): Promise<TemplateFormState> {
  const intent = formData.get("intent") === "test" ? "test" : formData.get("intent") === "preview" ? "preview" : "save";
  const run = intent === "test" ? sendTest : intent === "preview" ? previewTemplateAction : saveTemplate;
  const result: ActionResult<PreviewResult> = await run(null, formData);
  const subject = formData.get("subject");
  return { ...result, intent, draft: { subject: typeof subject === "string" ? subject : "", blocks: blocksOf(formData.entries()) } };
}

export const resetTemplateAction = operatorAction("admin", z.object({ template: z.string(), locale: z.string() }), async ({ template, locale }, context) => {
  const removed = await deleteOverride(await getDb(), context.workspace.id, template, locale, { kind: "user", userId: context.user.id });
  revalidateTemplate(template, locale);
  return { message: removed ? `Back to the default wording in ${localeLabel(locale)}.` : "This template already uses the default wording." };
});
