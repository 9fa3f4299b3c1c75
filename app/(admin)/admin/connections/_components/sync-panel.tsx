"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { SyncState } from "@/drizzle/schema";
import type { ActionResult } from "@/lib/actions";
import { InlineActionForm } from "../../_components/inline-action-form";

const REFRESH_MS = 2000;
/** How long to wait for a just-started sync to write its first progress. */
const START_GRACE_MS = 15_000;

type Props = {
  connectionId: string;
  name: string;
  state: SyncState;
  /** Formatted on the server in the workspace's time zone. */
  lastSynced: string | null;
  action: ((previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>) | null;
};

const isRunning = (phase: SyncState["phase"]) => phase === "backfill" || phase === "events" || phase === "invoices";

function phaseLabel(state: SyncState, lastSynced: string | null): string {
  switch (state.phase) {
    case "backfill":
      return `Copying ${state.message ?? "records"} from the provider`;
    case "events":
      return "Fetching events the provider could not deliver";
    case "invoices":
      return "Refreshing open invoices";
    case "done":
      return lastSynced ? `Last synced ${lastSynced}` : "Sync finished";
    case "failed":
      return `Last sync failed: ${state.message ?? "no reason given"}`;
    case "idle":
      return lastSynced ? `Last synced ${lastSynced}` : "Never synced";
  }
}

/**
 * Sync now + progress. While a sync runs (or was just started and has not reported yet) the
 * page refreshes every 2 s, so the bar follows the progress the sync writes to the connection.
 */
export function SyncPanel({ connectionId, name, state, lastSynced, action }: Props) {
  const router = useRouter();
  const running = isRunning(state.phase);
  // A started sync shows up as a new startedAt; until then (or the grace period ends) keep polling.
  const [awaiting, setAwaiting] = useState<{ previousStart: string | undefined } | null>(null);

  useEffect(() => {
    if (!awaiting) return;
    if (state.startedAt !== awaiting.previousStart) return setAwaiting(null);
    const timer = setTimeout(() => setAwaiting(null), START_GRACE_MS);
    return () => clearTimeout(timer);
  }, [awaiting, state.startedAt]);

  const polling = running || awaiting !== null;
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [polling, router]);

  const label = phaseLabel(state, lastSynced);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-sm">
        <p role="status" className={state.phase === "failed" ? "font-medium text-danger" : "text-text"}>
          {running ? <span className="sr-only">Sync running: </span> : null}
          {label}
        </p>
        {running || state.phase === "done" ? (
          <p className="text-muted tabular-nums">{state.done.toLocaleString("en")} records</p>
        ) : null}
      </div>
      {running ? <ProgressBar label={`Sync of ${name}`} done={state.done} total={state.total} /> : null}
      {running ? (
        <noscript>
          <a href="/admin/connections" className="text-sm underline">Refresh to see the progress</a>
        </noscript>
      ) : action ? (
        <InlineActionForm
          action={action}
          submitLabel="Sync now"
          onResult={(result) => {
            if (result.ok) setAwaiting({ previousStart: state.startedAt });
          }}
        >
          <input type="hidden" name="id" value={connectionId} />
        </InlineActionForm>
      ) : null}
    </div>
  );
}

/** Determinate when the total is known; otherwise an indeterminate bar with the count so far. */
function ProgressBar({ label, done, total }: { label: string; done: number; total: number | null }) {
  const known = total !== null && total > 0;
  const value = known ? Math.min(done, total) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={known ? 0 : undefined}
      aria-valuemax={known ? total : undefined}
      aria-valuenow={known ? value : undefined}
      aria-valuetext={known ? `${value} of ${total} records` : `${done} records so far`}
      className="h-1.5 w-full overflow-hidden rounded-full bg-surface-muted"
    >
      {known ? (
        <div className="h-full rounded-full bg-primary transition-[width] duration-500" style={{ width: `${(value / total) * 100}%` }} />
      ) : (
        <div className="h-full w-full animate-pulse rounded-full bg-primary/60 motion-reduce:animate-none" />
      )}
    </div>
  );
}
