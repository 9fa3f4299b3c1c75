"use client";

import { useEffect } from "react";
import { ErrorState, errorDigest } from "@/components/error-state";

type Props = {
  error: unknown;
  /** Re-renders the segment without refetching. */
  reset: () => void;
  /** Next 16.3+: refetches and re-renders the segment (preferred). */
  retry?: () => void;
};

/** Shows a plain message and the error's digest as a reference; never the message or stack. */
export default function ErrorPage({ error, reset, retry }: Props) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main id="main">
      <ErrorState onRetry={retry ?? reset} digest={errorDigest(error)} />
    </main>
  );
}
