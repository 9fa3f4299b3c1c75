import Link from "next/link";
import type { ReactNode } from "react";
import { Button, buttonClassName } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** A centred block of the same height in every state, so swapping states does not jump. */
function StateFrame({ children }: { children: ReactNode }) {
  return <div className="flex min-h-[40vh] flex-col items-center justify-center gap-3 px-4 py-12 text-center">{children}</div>;
}

export type LoadingStateProps = { label?: string };

export function LoadingState({ label = "Loading…" }: LoadingStateProps) {
  return (
    <StateFrame>
      <div role="status" className="flex items-center gap-2 text-sm text-muted">
        <Spinner size="md" />
        <span>{label}</span>
      </div>
    </StateFrame>
  );
}

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

export type NotFoundStateProps = {
  title?: ReactNode;
  message?: ReactNode;
  href?: string;
  linkLabel?: string;
};

export function NotFoundState({
  title = "Page not found",
  message = "This page doesn’t exist or has moved. Check the address, or start again from the home page.",
  href = "/",
  linkLabel = "Go to the home page",
}: NotFoundStateProps) {
  return (
    <StateFrame>
      <p className="text-sm font-medium text-muted">404</p>
      <h1 className="text-xl font-semibold text-text">{title}</h1>
      <p className="max-w-md text-sm text-muted">{message}</p>
      <Link href={href} className={buttonClassName({ variant: "secondary", className: "mt-2" })}>
        {linkLabel}
      </Link>
    </StateFrame>
  );
}
