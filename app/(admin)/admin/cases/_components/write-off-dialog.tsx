"use client";

import Link from "next/link";
import { useActionState, useEffect, useId, useState } from "react";
import { Alert, Button, buttonClassName, Dialog, DialogClose, DialogContent, DialogTrigger, Field, Input } from "@/components/ui";
import type { ActionResult } from "@/lib/actions";

type Props = {
  caseId: string;
  /** e.g. "€49.00 from ada@example.com". */
  what: string;
  action: (previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>;
  /** Without JavaScript the trigger is a link to the confirmation the page renders itself. */
  fallbackHref: string;
};

/** Write off with a confirmation dialog; on success the page reloads with the confirmation. */
export function WriteOffDialog({ caseId, what, action, fallbackHref }: Props) {
  const [hydrated, setHydrated] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);
  const formId = useId();
  const noteId = useId();
  useEffect(() => setHydrated(true), []);

  const triggerClass = buttonClassName({ variant: "ghost", size: "sm", className: "text-danger" });
  if (!hydrated) {
    return (
      <Link href={fallbackHref} className={triggerClass}>
        Write off…
      </Link>
    );
  }
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" className="text-danger">
          Write off…
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Write off this invoice?"
        description={`Stops recovering ${what}: the provider marks the invoice uncollectible and every planned step is canceled.`}
        size="sm"
        footer={
          <>
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" form={formId} variant="danger" pending={pending}>
              Write off
            </Button>
          </>
        }
      >
        <form id={formId} action={formAction} className="space-y-3">
          <input type="hidden" name="id" value={caseId} />
          <Field label="Note (optional)" htmlFor={noteId} description="Kept in the audit log.">
            <Input id={noteId} name="note" maxLength={300} />
          </Field>
          {state && !state.ok ? <Alert variant="error">{state.error}</Alert> : <p className="text-sm text-muted">This cannot be undone from Dunwell.</p>}
        </form>
      </DialogContent>
    </Dialog>
  );
}
