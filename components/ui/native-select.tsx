import { ChevronDown } from "lucide-react";
import type { ReactNode, SelectHTMLAttributes } from "react";
import { controlClassName, Field } from "./input";

/**
 * The native select, apart from the Radix one in select.tsx: a server component, so a page
 * that only needs this (the portal's forms) ships none of Radix's JavaScript.
 */

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(" ");

export type SelectOption = { value: string; label: string; disabled?: boolean };

export type NativeSelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  /** Convenience: render these options; or pass <option> children instead. */
  options?: SelectOption[];
  /** With a label, the select wraps itself in a Field (label, description, error wired up). */
  label?: ReactNode;
  description?: ReactNode;
  error?: ReactNode;
  hideLabel?: boolean;
  invalid?: boolean;
};

/** A styled native <select>: works without JavaScript. Give it a `label`, or put it inside a Field. */
export function NativeSelect({
  options,
  children,
  className,
  label,
  description,
  error,
  hideLabel,
  invalid,
  ...rest
}: NativeSelectProps) {
  if (label !== undefined) {
    return (
      <Field label={label} description={description} error={error} hideLabel={hideLabel} id={rest.id} className={className}>
        <NativeSelect options={options} invalid={invalid} {...rest}>
          {children}
        </NativeSelect>
      </Field>
    );
  }
  return (
    <div className={cx("relative", className)}>
      <select aria-invalid={invalid || undefined} className={cx(controlClassName, "h-9 appearance-none pr-9")} {...rest}>
        {options
          ? options.map((option) => (
              <option key={option.value} value={option.value} disabled={option.disabled}>
                {option.label}
              </option>
            ))
          : children}
      </select>
      <ChevronDown
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-muted"
      />
    </div>
  );
}
