"use client";

import { useId } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";

export type WorkspaceSwitcherProps = {
  workspaces: { id: string; name: string }[];
  currentWorkspaceId: string;
  /** Server action; receives FormData with `workspaceId`. */
  switchWorkspaceAction: (formData: FormData) => Promise<void>;
  className?: string;
};

/**
 * A plain form: without JavaScript the user picks and presses "Switch"; with JavaScript the
 * form submits as soon as the choice changes (the hint says so, for WCAG 3.2.2).
 */
export function WorkspaceSwitcher({ workspaces, currentWorkspaceId, switchWorkspaceAction, className }: WorkspaceSwitcherProps) {
  const id = useId();
  const current = workspaces.find((w) => w.id === currentWorkspaceId);

  if (workspaces.length <= 1) {
    return (
      <div className={className}>
        <p className="text-xs font-medium text-muted">Workspace</p>
        <p className="truncate text-sm font-medium text-text">{current?.name ?? "—"}</p>
      </div>
    );
  }

  return (
    // Keyed by the current workspace so the select shows the new one after the switch.
    <form key={currentWorkspaceId} action={switchWorkspaceAction} className={className}>
      <div className="mb-1 flex h-4 items-center justify-between">
        <label htmlFor={`${id}-select`} className="text-xs font-medium text-muted">
          Workspace
        </label>
        <PendingIndicator />
      </div>
      <p id={`${id}-hint`} className="sr-only">
        Choosing a workspace switches to it.
      </p>
      <div className="flex gap-2">
        <NativeSelect
          id={`${id}-select`}
          name="workspaceId"
          defaultValue={currentWorkspaceId}
          aria-describedby={`${id}-hint`}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          className="min-w-0 flex-1"
          options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
        />
        <noscript>
          <Button type="submit" variant="secondary">
            Switch
          </Button>
        </noscript>
      </div>
    </form>
  );
}

function PendingIndicator() {
  const { pending } = useFormStatus();
  return pending ? <Spinner size="sm" label="Switching workspace" className="text-muted" /> : null;
}
