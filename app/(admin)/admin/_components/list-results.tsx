import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClassName, Card, EmptyState, Table } from "@/components/ui";

type Empty = { title: string; description: string; action?: { href: string; label: string } | null };

/**
 * The body of an admin list page under its filters: the table, an empty state that says why
 * it is empty (nothing yet, or nothing matching) and what to do, and a note when the list
 * stopped at its limit.
 */
export function ListResults({
  count,
  limit,
  filtered,
  noun,
  empty,
  noMatch,
  olderHint,
  children,
}: {
  count: number;
  limit: number;
  filtered: boolean;
  /** Plural, lower case: "events", "cases". */
  noun: string;
  empty: Empty;
  noMatch: Empty & { resetHref: string };
  /** How to reach what the limit cut off: "filter to find older ones". */
  olderHint: string;
  /** The table's head and body. */
  children: ReactNode;
}) {
  if (count === 0) {
    const shown = filtered ? { ...noMatch, action: { href: noMatch.resetHref, label: `Show all ${noun}` } } : empty;
    return (
      <Card>
        <EmptyState
          title={shown.title}
          description={shown.description}
          action={shown.action ? <Link href={shown.action.href} className={buttonClassName({ variant: "secondary" })}>{shown.action.label}</Link> : null}
        />
      </Card>
    );
  }
  const caption = `${filtered ? "Matching" : ""} ${noun}, newest first`.trim();
  return (
    <>
      <Table caption={caption.charAt(0).toUpperCase() + caption.slice(1)} hideCaption>
        {children}
      </Table>
      {count === limit ? <p className="text-sm text-muted">Showing the latest {limit} {noun}; {olderHint}.</p> : null}
    </>
  );
}
