import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { StateFrame } from "./state-frame";

/**
 * The error boundaries' content, apart from the other states (states.tsx): the root error
 * boundaries ship on every page, so this imports nothing it does not draw (no next/link).
 */

export type ErrorStateProps = {
  title?: ReactNode;
  /** Plain language: what went wrong and what to do. Never an exception message or stack. */
  message?: ReactNode;
  /** Shows a "Try again" button. */
  onRetry?: () => void;
  /** The server's error digest, shown so support can find the log entry. */
  digest?: string;
  /** A second way out, e.g. a link home. */
  action?: ReactNode;
};

/** The digest Next attaches to server errors (a log reference), if the thrown value has one. */
export function errorDigest(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("digest" in error)) return undefined;
  return typeof error.digest === "string" ? error.digest : undefined;
}

export function ErrorState({
  title = "Something went wrong",
  message = "We couldn’t show this page. Try again in a moment; if it keeps happening, contact support.",
  onRetry,
  digest,
  action,
}: ErrorStateProps) {
  return (
    <StateFrame>
      <div role="alert" className="space-y-2">
        <h1 className="text-xl font-semibold text-text">{title}</h1>
        <p className="mx-auto max-w-md text-sm text-muted">{message}</p>
      </div>
      {onRetry || action ? (
        <div className="mt-2 flex flex-wrap items-center justify-center gap-2">
          {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
          {action}
        </div>
      ) : null}
      {digest ? (
        <p className="mt-2 text-xs text-muted">
          Reference: <code className="font-mono select-all">{digest}</code>
        </p>
      ) : null}
    </StateFrame>
  );
}
