"use client";

import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui";
import type { ActionResult } from "@/lib/actions";

type Props = {
  id: string;
  action: (previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>;
  /** The form's label (e.g. "Segment 2: High value"). */
  label: string;
  children: ReactNode;
};

/**
 * One segment rule's form. Its buttons post an `intent` (save, up, down, delete, drop:N);
 * success reloads the page with a confirmation, failure is written under the form.
 */
export function SegmentFormShell({ id, action, label, children }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form id={id} action={formAction} aria-label={label} aria-busy={pending || undefined} className="space-y-2">
      {/* Enter in a field saves, rather than pressing the first button in the form (Move up, Remove…). */}
      <button type="submit" name="intent" value={id === "segment-new" ? "add" : "save"} tabIndex={-1} aria-hidden="true" className="sr-only">
        Save
      </button>
      {children}
      {state && !state.ok && !pending ? <Alert variant="error">{state.error}</Alert> : null}
    </form>
  );
}
