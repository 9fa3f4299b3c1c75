"use client";

import { useActionState, useDeferredValue, useMemo, useState } from "react";
import { Alert, Button, Card, Field, Input, Textarea } from "@/components/ui";
import { validatePolicy, type Policy, type ValidationError } from "@/lib/dunning/policy";
import type { PolicySaveState } from "../../dunning-actions";
import { PolicyTimeline } from "./policy-timeline";

type Props = {
  action: (previous: PolicySaveState | null, formData: FormData) => Promise<PolicySaveState>;
  /** The policy being edited; absent when creating one (the key is typed in). */
  policyKey?: string;
  /** Prefills the key field when creating. */
  initialKey?: string;
  initialText: string;
  /** The saved version's JSON, to tell the draft apart from it. */
  savedText?: string;
  isDefault: boolean;
  /** Pre-tick "make default" (the workspace has no policy yet). */
  suggestDefault?: boolean;
  canEdit: boolean;
};

type Checked = { ok: true; policy: Policy } | { ok: false; errors: ValidationError[] };

/** The same validation the server runs (validatePolicy is pure), on the draft as typed. */
function check(text: string): Checked {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ path: "", message: `The policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return validatePolicy(value);
}

/** JSON editor with a live preview and per-path errors. Without JavaScript it is a plain form. */
export function PolicyEditor({ action, policyKey, initialKey, initialText, savedText, isDefault, suggestDefault, canEdit }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  // After a failed save without JavaScript, the page comes back with what was typed.
  const [text, setText] = useState(() => (state && !state.ok && state.definition !== undefined ? state.definition : initialText));
  const deferred = useDeferredValue(text);
  const checked = useMemo(() => check(deferred), [deferred]);
  const [lastValid, setLastValid] = useState<Policy | null>(checked.ok ? checked.policy : null);
  if (checked.ok && checked.policy !== lastValid) setLastValid(checked.policy);
  const changed = savedText !== undefined && text.trim() !== savedText.trim();
  // Right after a refused save the server's list is shown (it ran the same validation); edits switch to the live one.
  const fromServer = state && !state.ok && state.errors?.length && state.definition === text ? state.errors : null;
  const errors = fromServer ?? (checked.ok ? [] : checked.errors);
  const serverError = state && !state.ok ? state.error : null;

  return (
    <form action={formAction} className="grid gap-6 xl:grid-cols-[minmax(0,28rem)_minmax(0,1fr)]">
      <div className="space-y-4">
        {policyKey ? (
          <input type="hidden" name="key" value={policyKey} />
        ) : (
          <>
            <input type="hidden" name="creating" value="1" />
            <Field label="Key" htmlFor="policy-key" required description="Lower-case letters, digits and dashes; segments refer to the policy by it. It cannot change later.">
              <Input id="policy-key" name="key" required pattern="[a-z0-9][a-z0-9\-]{0,39}" maxLength={40} defaultValue={state && !state.ok ? state.key : initialKey} placeholder="high-value" className="font-mono" />
            </Field>
          </>
        )}
        <Field
          label="Policy JSON"
          htmlFor="policy-json"
          description={
            <>
              Hours count from the failed payment. Fields are described in <span className="font-mono">docs/policy-format.md</span>.
            </>
          }
        >
          {(control) => (
            <Textarea
              {...control}
              name="definition"
              value={text}
              onChange={(e) => setText(e.target.value)}
              readOnly={!canEdit}
              rows={30}
              spellCheck={false}
              aria-invalid={errors.length ? true : undefined}
              aria-describedby={[control["aria-describedby"], "policy-problems"].filter(Boolean).join(" ")}
              className="font-mono text-xs leading-5"
            />
          )}
        </Field>
        {canEdit ? (
          <>
            {isDefault ? (
              <p className="text-sm text-muted">This is the default policy: cases no segment matches follow it.</p>
            ) : (
              <label className="flex items-center gap-2 text-sm text-text">
                <input type="checkbox" name="makeDefault" defaultChecked={suggestDefault} className="size-4 accent-primary" />
                Make this the default policy (cases no segment matches follow it)
              </label>
            )}
            {serverError ? <Alert variant="error">{serverError}</Alert> : null}
            <div className="flex items-center gap-3">
              <Button type="submit" pending={pending}>
                {policyKey ? "Save as new version" : "Create policy"}
              </Button>
              <span className="text-sm text-muted">{changed ? "Unsaved changes" : null}</span>
            </div>
            <p className="text-xs text-muted">Open cases keep the version they started with until you re-plan them from the case page.</p>
          </>
        ) : (
          <p className="text-sm text-muted">You can read this policy; admins and owners change it.</p>
        )}
      </div>
      <div className="space-y-4">
        <section id="policy-problems" aria-labelledby="policy-problems-title" className="rounded-card border border-border bg-surface p-4">
          <h2 id="policy-problems-title" className="text-sm font-semibold text-text">
            Validation
          </h2>
          <p aria-live="polite" className={`mt-1 text-sm ${errors.length ? "font-medium text-danger" : "text-success"}`}>
            {errors.length ? `${errors.length} ${errors.length === 1 ? "problem" : "problems"} to fix before saving` : "The policy is valid."}
          </p>
          {errors.length ? (
            <ul className="mt-2 space-y-1 text-sm">
              {errors.map((e, i) => (
                <li key={i}>
                  {e.path ? <code className="rounded-sm bg-surface-muted px-1 font-mono text-xs">{e.path}</code> : null} {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <Card title="Draft preview" description={checked.ok ? (changed ? "Updates as you type." : "Same as the saved version.") : lastValid ? "Showing the last valid draft; fix the problems to update it." : undefined}>
          {lastValid ? <PolicyTimeline policy={lastValid} /> : <p className="text-sm text-muted">Fix the problems above to see what the policy does.</p>}
        </Card>
      </div>
    </form>
  );
}
