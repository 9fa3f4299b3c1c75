import { useId, type HTMLAttributes, type ReactNode } from "react";

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");

export type CardProps = Omit<HTMLAttributes<HTMLElement>, "title"> & {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links shown at the right of the header. */
  actions?: ReactNode;
  /** Heading level of the title; pick the one that fits the page outline. */
  titleAs?: "h2" | "h3" | "h4";
  /** Remove the body padding (for a Table or list that runs edge to edge). */
  flush?: boolean;
};

/**
 * A bordered surface. Without header props it is a padded box (override with `className`,
 * e.g. "p-6", or `flush`). With a title it is a <section> whose heading names it.
 */
export function Card({ title, description, actions, titleAs: Heading = "h2", flush, className, children, ...rest }: CardProps) {
  const headingId = useId();
  const hasHeader = Boolean(title || description || actions);
  const Root = title ? "section" : "div";
  if (!hasHeader) {
    return (
      <Root className={cx("rounded-card border border-border bg-surface", !flush && "p-4", className)} {...rest}>
        {children}
      </Root>
    );
  }
  return (
    <Root
      aria-labelledby={title ? headingId : undefined}
      className={cx("rounded-card border border-border bg-surface", className)}
      {...rest}
    >
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-4 py-3">
        <div className="min-w-0">
          {title ? (
            <Heading id={headingId} className="text-sm font-semibold text-text">
              {title}
            </Heading>
          ) : null}
          {description ? <p className="mt-0.5 text-sm text-muted">{description}</p> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </div>
      <div className={flush ? undefined : "p-4"}>{children}</div>
    </Root>
  );
}
