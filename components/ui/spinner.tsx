import { LoaderCircle } from "lucide-react";

const sizes = { sm: "size-4", md: "size-5", lg: "size-8" } as const;

export type SpinnerProps = {
  size?: keyof typeof sizes;
  /** When given, the spinner announces itself as a status with this text (screen readers only). */
  label?: string;
  className?: string;
};

/** A spinning indicator. Decorative (aria-hidden) unless a `label` is given. */
export function Spinner({ size = "md", label, className }: SpinnerProps) {
  const icon = (
    <LoaderCircle
      aria-hidden="true"
      className={["shrink-0 animate-spin", sizes[size], className].filter(Boolean).join(" ")}
    />
  );
  if (!label) return icon;
  return (
    <span role="status" className="inline-flex items-center">
      {icon}
      <span className="sr-only">{label}</span>
    </span>
  );
}
