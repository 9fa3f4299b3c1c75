"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, Button } from "@/components/ui";
import type { ActionResult } from "@/lib/actions";

type Props = {
  action: (previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>;
  submitLabel: string;
  children: React.ReactNode;
  className?: string;
};

/** A form bound to a server action; it says what happened, success or not. */
export function ActionForm({ action, submitLabel, children, className }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={formAction} className={className ?? "space-y-4"}>
      {children}
      {state ? (
        <Alert variant={state.ok ? "success" : "error"}>
          {state.ok ? state.message : state.error}
          {!state.ok && state.issues ? (
            <ul className="mt-1 list-disc pl-5">
              {state.issues.slice(1).map((issue) => (
                <li key={issue}>{issue}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <Button type="submit" pending={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
