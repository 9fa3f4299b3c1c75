import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes, TableHTMLAttributes } from "react";

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");

export type TableProps = TableHTMLAttributes<HTMLTableElement> & {
  /** Names the table for screen readers; shown above it unless `hideCaption`. */
  caption?: ReactNode;
  hideCaption?: boolean;
};

/** A dense data table inside a bordered card that scrolls sideways on narrow screens. */
export function Table({ caption, hideCaption, className, children, ...rest }: TableProps) {
  return (
    <div className="overflow-x-auto rounded-card border border-border bg-surface">
      <table className={cx("w-full border-collapse text-left text-sm", className)} {...rest}>
        {caption ? (
          <caption className={cx("px-3 py-2 text-left font-medium text-text", hideCaption && "sr-only")}>{caption}</caption>
        ) : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cx("border-b border-border bg-surface-muted", className)} {...rest} />;
}

export function TBody({ className, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cx("divide-y divide-border", className)} {...rest} />;
}

export function Tr({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx("transition-colors hover:bg-background", className)} {...rest} />;
}

export type ThProps = ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean };

/** A column header (scope="col" unless overridden, e.g. scope="row" for a row header). */
export function Th({ numeric, scope = "col", className, ...rest }: ThProps) {
  return (
    <th
      scope={scope}
      className={cx(
        "h-9 px-3 text-xs font-medium whitespace-nowrap text-muted",
        numeric ? "text-right" : "text-left",
        className,
      )}
      {...rest}
    />
  );
}

export type TdProps = TdHTMLAttributes<HTMLTableCellElement> & {
  /** Right-align with tabular figures, for amounts and counts. */
  numeric?: boolean;
};

export function Td({ numeric, className, ...rest }: TdProps) {
  return (
    <td
      className={cx("h-10 px-3 py-2 align-middle text-text", numeric && "text-right whitespace-nowrap tabular-nums", className)}
      {...rest}
    />
  );
}

export type EmptyStateProps = {
  title: ReactNode;
  /** Say what to do next, not only that there is nothing. */
  description?: ReactNode;
  /** A button or link that starts the next step. */
  action?: ReactNode;
  icon?: ReactNode;
  className?: string;
};

export function EmptyState({ title, description, action, icon, className }: EmptyStateProps) {
  return (
    <div className={cx("flex flex-col items-center gap-2 px-6 py-12 text-center", className)}>
      {icon ? (
        <div aria-hidden="true" className="mb-1 text-muted [&_svg]:size-8">
          {icon}
        </div>
      ) : null}
      <p className="text-base font-medium text-text">{title}</p>
      {description ? <p className="max-w-prose text-sm text-muted">{description}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}
