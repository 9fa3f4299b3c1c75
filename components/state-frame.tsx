import type { ReactNode } from "react";

/** A centred block of the same height in every state, so swapping states does not jump. */
export function StateFrame({ children }: { children: ReactNode }) {
  return <div className="flex min-h-[40vh] flex-col items-center justify-center gap-3 px-4 py-12 text-center">{children}</div>;
}
