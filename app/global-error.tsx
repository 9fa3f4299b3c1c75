"use client";

import "./globals.css";
import { ErrorState, errorDigest } from "@/components/error-state";

type Props = { error: unknown; reset: () => void; retry?: () => void };

/** Replaces the root layout when it fails, so it renders its own document. */
export default function GlobalError({ error, reset, retry }: Props) {
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Dunwell</title>
        <main id="main">
          <ErrorState
            message="Dunwell couldn’t load this page. Try again in a moment; if it keeps happening, contact the person who runs this Dunwell."
            onRetry={retry ?? reset}
            digest={errorDigest(error)}
          />
        </main>
      </body>
    </html>
  );
}
