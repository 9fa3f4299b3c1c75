"use client";

import { useActionState, useEffect } from "react";
import { Button, type ButtonVariant } from "@/components/ui";
import type { ActionResult } from "@/lib/actions";

type Props = {
  action: (previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>;
  submitLabel: string;
  /** Hidden inputs (the record's id) and any controls that go before the button. */
  children?: React.ReactNode;
  variant?: ButtonVariant;
  /** Called with the fresh result (e.g. to start watching a sync). */
  onResult?: (result: ActionResult<unknown>) => void;
  className?: string;
};

/**
 * A one-button form for a row or a detail page (Test connection, Replay…). The outcome is
 * written next to the button: success in a polite status region that is always present (so
 * screen readers announce it), failure as an alert. Works without JavaScript too.
 */
export function InlineActionForm({ action, submitLabel, children, variant = "secondary", onResult, className }: Props) {
  // The server action itself (not a wrapper) so the form still posts without JavaScript.
  const [state, formAction, pending] = useActionState(action, null);
  useEffect(() => {
    if (state) onResult?.(state);
    // Only a new result counts, not a new callback identity.
  }, [state]);
  return (
    <form action={formAction} className={className ?? "flex flex-wrap items-center gap-x-3 gap-y-1"}>
      {children}
      <Button type="submit" variant={variant} size="sm" pending={pending}>
        {submitLabel}
      </Button>
      <p role="status" className="text-sm text-success empty:hidden">
        {state?.ok && !pending ? state.message : null}
      </p>
      {state && !state.ok && !pending ? (
        <p role="alert" className="text-sm font-medium text-danger">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
