import type { MessageStatus } from "@/drizzle/schema";
import { Badge, type BadgeVariant } from "@/components/ui";

const variants: Record<MessageStatus, BadgeVariant> = {
  queued: "primary",
  sent: "success",
  delivered: "success",
  bounced: "danger",
  complained: "danger",
  skipped: "neutral",
  failed: "danger",
};
const labels: Record<MessageStatus, string> = {
  queued: "Queued",
  sent: "Sent",
  delivered: "Delivered",
  bounced: "Bounced",
  complained: "Complained",
  skipped: "Skipped",
  failed: "Failed",
};

export const messageStatusLabel = (status: MessageStatus) => labels[status];

export function MessageStatusBadge({ status }: { status: MessageStatus }) {
  return <Badge variant={variants[status]}>{labels[status]}</Badge>;
}

/** "payment_failed" → "Payment failed". */
export const templateLabel = (template: string) => template.charAt(0).toUpperCase() + template.slice(1).replace(/_/g, " ");

export const localeLabel = (locale: string) => new Intl.DisplayNames(["en"], { type: "language" }).of(locale) ?? locale;
