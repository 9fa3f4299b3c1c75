import { CircleCheck, CircleX, Info, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";

const variants = {
  info: { box: "border-primary/30 bg-primary-subtle", icon: Info, iconColor: "text-primary" },
  success: { box: "border-success/30 bg-success-subtle", icon: CircleCheck, iconColor: "text-success" },
  warning: { box: "border-warning/30 bg-warning-subtle", icon: TriangleAlert, iconColor: "text-warning" },
  error: { box: "border-danger/30 bg-danger-subtle", icon: CircleX, iconColor: "text-danger" },
} as const;

export type AlertVariant = keyof typeof variants;

export type AlertProps = {
  variant?: AlertVariant;
  title?: ReactNode;
  children?: ReactNode;
  /** e.g. a "Try again" button or a link to the fix. */
  action?: ReactNode;
  className?: string;
};

/**
 * An inline message. Errors use role="alert" (announced at once); the other variants use
 * role="status" (announced politely).
 */
export function Alert({ variant = "info", title, children, action, className }: AlertProps) {
  const { box, icon: Icon, iconColor } = variants[variant];
  return (
    <div
      role={variant === "error" ? "alert" : "status"}
      className={["flex gap-3 rounded-card border p-3 text-sm text-text", box, className].filter(Boolean).join(" ")}
    >
      <Icon aria-hidden="true" className={`mt-0.5 size-4 shrink-0 ${iconColor}`} />
      <div className="min-w-0 flex-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
        {action ? <div className="mt-2">{action}</div> : null}
      </div>
    </div>
  );
}
