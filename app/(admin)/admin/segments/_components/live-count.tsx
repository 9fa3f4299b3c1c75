"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { countSegmentAction } from "../../dunning-actions";

type Counts = { matching: number; first: number };

const describe = ({ matching, first }: Counts) =>
  `${matching.toLocaleString("en")} ${matching === 1 ? "customer matches" : "customers match"}${first !== matching ? `, ${first.toLocaleString("en")} not taken by an earlier segment` : ""}`;

/**
 * The customers a rule's conditions match, counted on the server when the page renders and
 * again (with JavaScript) a moment after its form's conditions change.
 */
export function LiveCount({ formId, initial }: { formId: string; initial: Counts | null }) {
  const [counts, setCounts] = useState<Counts | null>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    const recount = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const data = new FormData(form);
        data.set("intent", "count");
        startTransition(async () => {
          const result = await countSegmentAction(null, data);
          if (result.ok && result.data) {
            setCounts({ matching: result.data.matching, first: result.data.first });
            setProblem(null);
          } else if (!result.ok) setProblem(result.error);
        });
      }, 400);
    };
    form.addEventListener("input", recount);
    form.addEventListener("change", recount);
    return () => {
      clearTimeout(timer.current);
      form.removeEventListener("input", recount);
      form.removeEventListener("change", recount);
    };
  }, [formId]);

  return (
    <output form={formId} aria-live="polite" className="block text-sm">
      {pending ? (
        <span className="text-muted">Counting…</span>
      ) : problem ? (
        <span className="text-warning">Not counted: {problem}</span>
      ) : counts ? (
        <span className="text-text tabular-nums">{describe(counts)}</span>
      ) : (
        <span className="text-muted">Not counted</span>
      )}
    </output>
  );
}
