"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { controlClassName, Field } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions";

type Props = {
  caseId: string;
  action: (previous: ActionResult<{ url: string }> | null, formData: FormData) => Promise<ActionResult<{ url: string }>>;
};

/**
 * "Create portal link": a fresh link the operator sends by hand, shown in a read-only field
 * (selectable without JavaScript) with a Copy button.
 */
export function PortalLinkForm({ caseId, action }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  const [copied, setCopied] = useState<string | null>(null);
  const url = state?.ok ? state.data?.url : undefined;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="id" value={caseId} />
      <Button type="submit" variant="secondary" size="sm" pending={pending}>
        {url ? "Create another link" : "Create portal link"}
      </Button>
      {url && !pending ? (
        <div className="space-y-1.5">
          <Field label="Portal link" htmlFor="portal-link-url">
            <input id="portal-link-url" readOnly value={url} className={`${controlClassName} h-9 font-mono text-xs`} onFocus={(event) => event.currentTarget.select()} />
          </Field>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <Button
              type="button"
              variant="ghost"
              size="sm"
              onClick={() => {
                void navigator.clipboard?.writeText(url).then(
                  () => setCopied(url),
                  () => setCopied(null),
                );
              }}
            >
              Copy link
            </Button>
            <p role="status" className="text-sm text-success empty:hidden">
              {copied === url ? "Copied." : null}
            </p>
          </div>
          <p className="text-xs text-muted">{state?.ok ? state.message : null}</p>
        </div>
      ) : null}
      {state && !state.ok && !pending ? (
        <p role="alert" className="text-sm font-medium text-danger">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
