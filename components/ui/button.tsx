import type { ButtonHTMLAttributes } from "react";
import { Spinner } from "./spinner";

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");

export const buttonVariants = {
  primary: "bg-primary text-primary-foreground hover:bg-primary-hover border-transparent",
  secondary: "bg-surface text-text border-border-strong hover:bg-surface-muted",
  ghost: "bg-transparent text-text border-transparent hover:bg-surface-muted",
  danger: "bg-danger text-danger-foreground hover:bg-danger-hover border-transparent",
} as const;

export const buttonSizes = {
  sm: "h-8 px-2.5 text-sm gap-1.5",
  md: "h-9 px-3.5 text-sm gap-2",
  lg: "h-11 px-5 text-base gap-2",
} as const;

export type ButtonVariant = keyof typeof buttonVariants;
export type ButtonSize = keyof typeof buttonSizes;

/**
 * Class names for something that should look like a button but is not one (a Next <Link>).
 * Keeps links and buttons visually identical without an `asChild` indirection.
 */
export function buttonClassName({
  variant = "primary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return cx(
    "relative inline-flex shrink-0 items-center justify-center whitespace-nowrap rounded-control border font-medium",
    "transition-colors select-none disabled:cursor-not-allowed disabled:opacity-60",
    buttonVariants[variant],
    buttonSizes[size],
    className,
  );
}

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner over the label, disables the button and sets aria-busy. */
  pending?: boolean;
};

/**
 * A native <button>. Defaults to type="button" so it never submits a form by accident;
 * pass type="submit" for form buttons. While `pending`, the label stays in place (invisible
 * but still the accessible name) so the button keeps its width.
 */
export function Button({
  variant = "primary",
  size = "md",
  pending = false,
  type = "button",
  disabled,
  className,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={buttonClassName({ variant, size, className })}
      {...rest}
    >
      <span className={cx("inline-flex items-center gap-[inherit]", pending && "opacity-0")}>{children}</span>
      {pending ? (
        <span className="absolute inset-0 flex items-center justify-center">
          <Spinner size="sm" />
        </span>
      ) : null}
    </button>
  );
}
