const sizes = { sm: "size-4", md: "size-5", lg: "size-8" } as const;

export type SpinnerProps = {
  size?: keyof typeof sizes;
  /** When given, the spinner announces itself as a status with this text (screen readers only). */
  label?: string;
  className?: string;
};

/** A spinning indicator. Decorative (aria-hidden) unless a `label` is given. */
export function Spinner({ size = "md", label, className }: SpinnerProps) {
  // Lucide's loader-circle drawn inline: client components that show a spinner (every submit button) then ship no icon runtime.
  const icon = (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={["shrink-0 animate-spin", sizes[size], className].filter(Boolean).join(" ")}
    >
      <path d="M21 12a9 9 0 1 1-6.219-8.56" />
    </svg>
  );
  if (!label) return icon;
  return (
    <span role="status" className="inline-flex items-center">
      {icon}
      <span className="sr-only">{label}</span>
    </span>
  );
}
