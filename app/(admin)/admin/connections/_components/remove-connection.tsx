"use client";

import Link from "next/link";
import { useActionState, useEffect, useId, useState } from "react";
import { Alert, Button, buttonClassName, Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui";
import type { ActionResult } from "@/lib/actions";

type Props = {
  connectionId: string;
  name: string;
  /** What removal deletes (the page's no-JavaScript confirmation says the same). */
  consequences: string;
  action: (previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>;
  /** Without JavaScript the trigger is a link to a confirmation rendered by the page itself. */
  fallbackHref: string;
};

/** Remove with a confirmation dialog (a link to the page's confirmation until JavaScript runs). */
export function RemoveConnection({ connectionId, name, consequences, action, fallbackHref }: Props) {
  const [hydrated, setHydrated] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);
  const formId = useId();
  useEffect(() => setHydrated(true), []);

  const triggerClass = buttonClassName({ variant: "ghost", size: "sm", className: "text-danger" });
  if (!hydrated) {
    return (
      <Link href={fallbackHref} className={triggerClass}>
        Remove
      </Link>
    );
  }
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" className="text-danger" aria-label={`Remove ${name}`}>
          Remove
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Remove ${name}?`}
        description={consequences}
        size="sm"
        footer={
          <>
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" form={formId} variant="danger" pending={pending}>
              Remove connection
            </Button>
          </>
        }
      >
        <form id={formId} action={formAction}>
          <input type="hidden" name="id" value={connectionId} />
        </form>
        {state && !state.ok ? <Alert variant="error">{state.error}</Alert> : <p className="text-sm text-muted">This cannot be undone; you can add the connection again later and sync.</p>}
      </DialogContent>
    </Dialog>
  );
}
