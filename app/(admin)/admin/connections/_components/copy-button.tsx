"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui";

/**
 * Copies `value` to the clipboard and says so ("Copied", also announced). Rendered only once
 * JavaScript runs: without it the value next to it is selectable text and the button would
 * do nothing.
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [ready, setReady] = useState(false);
  const [outcome, setOutcome] = useState<"copied" | "failed" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    setReady(true);
    return () => clearTimeout(timer.current);
  }, []);
  if (!ready) return null;

  async function copy() {
    clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(value);
      setOutcome("copied");
    } catch {
      setOutcome("failed");
    }
    timer.current = setTimeout(() => setOutcome(null), 3000);
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="secondary" size="sm" onClick={copy} aria-label={label}>
        {outcome === "copied" ? <Check aria-hidden="true" className="size-3.5 text-success" /> : <Copy aria-hidden="true" className="size-3.5" />}
        {outcome === "copied" ? "Copied" : "Copy"}
      </Button>
      <span role="status" className={outcome === "failed" ? "text-sm text-danger" : "sr-only"}>
        {outcome === "copied" ? "Copied to the clipboard" : outcome === "failed" ? "Could not copy; select the text and copy it by hand." : ""}
      </span>
    </span>
  );
}
