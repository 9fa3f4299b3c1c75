import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClassName } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { StateFrame } from "./state-frame";

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

export { ErrorState, errorDigest, type ErrorStateProps } from "./error-state";

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
