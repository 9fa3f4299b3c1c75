"use client";

import { useActionState, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Alert, Button, Field, Input, Textarea } from "@/components/ui";
import { messageBlocks, type MessageBlock } from "@/lib/messaging/copy/types";
import type { PreviewResult, TemplateFormState } from "../actions";
import { previewTemplateAction, templateFormAction } from "../actions";
import { PreviewFrames } from "./preview-frames";

type Draft = { subject: string; blocks: Record<string, string> };

type Props = {
  template: string;
  locale: string;
  language: string;
  /** The stored override (empty texts when there is none) and a key that changes with each save or reset. */
  saved: Draft;
  savedKey: string;
  /** The default wording, shown as each field's placeholder. */
  defaults: { subject: string; blocks: Partial<Record<MessageBlock, string>> };
  initialPreview: PreviewResult;
};

const blockLabels: Record<MessageBlock, { label: string; hint?: string }> = {
  preview: { label: "Inbox preview line", hint: "Shown next to the subject in most inboxes." },
  heading: { label: "Heading" },
  greeting: { label: "Greeting" },
  intro: { label: "Introduction" },
  reason: { label: "Why the payment failed", hint: "The default follows the bank's decline reason; an override replaces it for every reason." },
  body: { label: "More detail" },
  action: { label: "What to do", hint: "The default follows the decline reason and the step's tone." },
  urgency: { label: "Deadline and consequence", hint: "The default follows the step's tone." },
  button: { label: "Button label" },
  closing: { label: "Closing" },
  signoff: { label: "Sign-off" },
};

const sameDraft = (a: Draft, b: Draft) =>
  a.subject.trim() === b.subject.trim() && messageBlocks.every((n) => (a.blocks[n] ?? "").trim() === (b.blocks[n] ?? "").trim());

function formDataOf(template: string, locale: string, draft: Draft): FormData {
  const data = new FormData();
  data.set("template", template);
  data.set("locale", locale);
  data.set("subject", draft.subject);
  for (const [name, text] of Object.entries(draft.blocks)) data.set(`block:${name}`, text);
  return data;
}

const subscribeNothing = () => () => {};
const rows = (text: string | undefined) => Math.min(8, Math.max(2, Math.ceil((text?.length ?? 0) / 55) + (text?.split("\n").length ?? 1) - 1));

/**
 * Subject and blocks with the default copy as placeholders, and the message as it would
 * look, re-rendered on the server a moment after each keystroke. Without JavaScript the
 * Preview button renders it with the page.
 */
export function TemplateEditor({ template, locale, language, saved, savedKey, defaults, initialPreview }: Props) {
  const [state, formAction, pending] = useActionState<TemplateFormState | null, FormData>(templateFormAction, null);
  // Without JavaScript the page comes back after each button with what was typed.
  const [draft, setDraft] = useState<Draft>(() => state?.draft ?? saved);
  // After a save or a reset the stored wording becomes the draft (a reset empties every field).
  const [seenKey, setSeenKey] = useState(savedKey);
  if (seenKey !== savedKey) {
    setSeenKey(savedKey);
    if (!sameDraft(draft, saved)) setDraft(saved);
  }
  const hydrated = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const [intent, setIntent] = useState<string>("save");

  const fromForm = state?.ok && state.intent === "preview" ? state.data : undefined;
  const [live, setLive] = useState<PreviewResult | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const latest = useRef(0);
  // The page came with a preview of this draft; only a changed draft needs a new one.
  const previewed = useRef(draft);
  useEffect(() => {
    if (draft === previewed.current) return;
    previewed.current = draft;
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      const result = await previewTemplateAction(null, formDataOf(template, locale, draft));
      if (request !== latest.current) return;
      if (result.ok && result.data) {
        setLive(result.data);
        setLiveError(null);
      } else if (!result.ok) setLiveError(result.error);
    }, 350);
    return () => clearTimeout(timer);
  }, [draft, template, locale]);

  const preview = live ?? fromForm ?? initialPreview;
  const changed = !sameDraft(draft, saved);
  // An outcome stays on screen until the fields change (an edit, or a reset emptying them).
  const outcome = state && !pending && sameDraft(state.draft, draft) ? state : null;
  const setBlock = (name: MessageBlock, text: string) => setDraft((d) => ({ ...d, blocks: { ...d.blocks, [name]: text } }));

  return (
    <form
      action={formAction}
      onSubmit={(e) => setIntent((e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") ?? "save")}
      className="grid gap-6 xl:grid-cols-[minmax(0,24rem)_minmax(0,1fr)]">
      <input type="hidden" name="template" value={template} />
      <input type="hidden" name="locale" value={locale} />
      <div className="space-y-4">
        <Field label="Subject" htmlFor="override-subject" description="Replaces the default subject for every step that sends this template.">
          <Input name="subject" value={draft.subject} onChange={(e) => setDraft((d) => ({ ...d, subject: e.target.value }))} placeholder={defaults.subject} maxLength={200} />
        </Field>
        {messageBlocks.map((name) => {
          const { label, hint } = blockLabels[name];
          const placeholder = defaults.blocks[name] ?? "Empty by default in this template; text here adds the block.";
          return (
            <Field key={name} label={label} htmlFor={`override-${name}`} description={hint}>
              {name === "button" ? (
                <Input name={`block:${name}`} value={draft.blocks[name] ?? ""} onChange={(e) => setBlock(name, e.target.value)} placeholder={placeholder} maxLength={80} />
              ) : (
                <Textarea name={`block:${name}`} value={draft.blocks[name] ?? ""} onChange={(e) => setBlock(name, e.target.value)} placeholder={placeholder} rows={rows(placeholder)} />
              )}
            </Field>
          );
        })}
        {outcome && !outcome.ok ? <Alert variant="error">{outcome.error}</Alert> : null}
        {outcome?.ok && outcome.intent !== "preview" ? <Alert variant="success">{outcome.message}</Alert> : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" name="intent" value="save" pending={pending && intent === "save"} disabled={pending}>
            Save {language} wording
          </Button>
          {hydrated ? null : (
            <Button type="submit" name="intent" value="preview" variant="secondary">
              Preview
            </Button>
          )}
          <Button type="submit" name="intent" value="test" variant="secondary" pending={pending && intent === "test"} disabled={pending}>
            Send me a test
          </Button>
          <span className="text-sm text-muted">{changed ? "Unsaved changes" : null}</span>
        </div>
        <p className="text-xs text-muted">Fields left empty keep the default wording (shown in grey). The test uses the sample customer below and what is typed here, saved or not.</p>
      </div>
      <section aria-labelledby="preview-title" className="min-w-0 space-y-3 xl:sticky xl:top-4 xl:self-start">
        <h2 id="preview-title" className="text-sm font-semibold text-text">
          Preview <span className="font-normal text-muted">with a sample customer, in your branding</span>
        </h2>
        <div aria-live="polite" className="space-y-2 empty:hidden">
          {preview.problems.length > 0 ? (
            <Alert variant="warning" title="Fix before saving">
              <ul className="list-disc space-y-1 pl-4">
                {preview.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {liveError ? <Alert variant="error">{liveError}</Alert> : null}
        </div>
        <PreviewFrames subject={preview.subject} html={preview.html} />
      </section>
    </form>
  );
}
