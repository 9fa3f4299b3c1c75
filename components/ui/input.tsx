import {
  cloneElement,
  isValidElement,
  useId,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type TextareaHTMLAttributes,
} from "react";

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");

/** Shared look of text-like controls (also used by NativeSelect and the Radix select trigger). */
export const controlClassName = cx(
  "block w-full rounded-control border border-border-strong bg-surface px-3 text-base text-text sm:text-sm",
  "placeholder:text-muted disabled:cursor-not-allowed disabled:bg-surface-muted disabled:opacity-70",
  "aria-[invalid=true]:border-danger aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-danger",
);

/** The props a Field hands to its control. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  required?: boolean;
};

export type FieldProps = {
  label: ReactNode;
  description?: ReactNode;
  /** A message saying what is wrong and how to fix it; marks the control invalid. */
  error?: ReactNode;
  /** Id of the control. Defaults to the child's own `id`, else a generated one. */
  id?: string;
  /** Same as `id` (reads naturally next to a label). */
  htmlFor?: string;
  required?: boolean;
  /** Hide the label visually (it stays the accessible name). */
  hideLabel?: boolean;
  className?: string;
  /** One control element (Input, Textarea, NativeSelect…), or a function receiving the wiring props. */
  children: ReactElement<Partial<FieldControlProps>> | ((control: FieldControlProps) => ReactNode);
};

/**
 * Label + control + description + error, wired with htmlFor, aria-describedby and aria-invalid.
 * Works in server components (no client state).
 */
export function Field({ label, description, error, id, htmlFor, required, hideLabel, className, children }: FieldProps) {
  const generated = useId();
  const childId = typeof children !== "function" && isValidElement(children) ? children.props.id : undefined;
  const controlId = id ?? htmlFor ?? childId ?? generated;
  const descriptionId = description ? `${controlId}-description` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [descriptionId, errorId].filter(Boolean).join(" ") || undefined;
  const control: FieldControlProps = {
    id: controlId,
    "aria-describedby": describedBy,
    "aria-invalid": error ? true : undefined,
    ...(required ? { required: true } : {}),
  };

  return (
    <div className={cx("flex flex-col gap-1.5", className)}>
      <label htmlFor={controlId} className={cx("text-sm font-medium text-text", hideLabel && "sr-only")}>
        {label}
        {required ? (
          <span aria-hidden="true" className="ml-0.5 text-danger">
            *
          </span>
        ) : null}
      </label>
      {typeof children === "function"
        ? children(control)
        : cloneElement(children, {
            ...control,
            "aria-describedby":
              [children.props["aria-describedby"], describedBy].filter(Boolean).join(" ") || undefined,
          })}
      {description ? (
        <p id={descriptionId} className="text-sm text-muted">
          {description}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-sm font-medium text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** `invalid` is shorthand for aria-invalid (a Field with an `error` sets it for you). */
export type InputProps = InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean };

export function Input({ className, type = "text", invalid, ...rest }: InputProps) {
  return (
    <input
      type={type}
      aria-invalid={invalid || undefined}
      className={cx(controlClassName, "h-9", className)}
      {...rest}
    />
  );
}

export type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean };

export function Textarea({ className, rows = 4, invalid, ...rest }: TextareaProps) {
  return (
    <textarea
      rows={rows}
      aria-invalid={invalid || undefined}
      className={cx(controlClassName, "py-2", className)}
      {...rest}
    />
  );
}
