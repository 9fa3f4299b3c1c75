import type { Db } from "@/lib/db/client";
import { getEmailTransport } from "@/lib/email/transport";
import { logger } from "@/lib/log";
import { sendPortalNotice } from "@/lib/messaging/portal-notices";
import type { HelpTopic } from "@/drizzle/schema";
import { copyFor, type PortalLocale } from "./i18n";

/**
 * What the portal tells people by email, in one hook. The fresh link goes out through the
 * shared email transport (Resend, or the server log in the embedded mode) because no message
 * template exists for it. The acknowledgements (help_received, promise_confirmed,
 * installment_confirmed, installment_failed) and the operators' help notice go through the
 * messaging engine (lib/messaging/portal-notices.ts). It is the default here, not installed
 * at start-up, so every process that runs portal actions or engine steps (the Next server,
 * the launcher, the CLI, Inngest functions, tests) sends them with no wiring to forget.
 */

/** `at`: when it happened (the caller's clock); the workspace's clock when absent. */
type CaseRef = { workspaceId: string; caseId: string; customerId: string; at?: Date };

export type PortalNotice =
  | (CaseRef & { kind: "fresh_link"; to: string; url: string; locale: PortalLocale; brandName: string; idempotencyKey: string })
  /** To the customer (acknowledgement) and to the workspace's operators (a help request waits). */
  | (CaseRef & { kind: "help_requested"; requestId: string; topic: HelpTopic; message: string | null })
  | (CaseRef & { kind: "promise_confirmed"; requestId: string; promisedFor: string; retryAt: Date })
  | (CaseRef & { kind: "installment_confirmed"; planId: string })
  | (CaseRef & { kind: "installment_failed"; planId: string; part: number });

export type PortalNotifier = (db: Db, notice: PortalNotice) => Promise<void>;

export const defaultPortalNotifier: PortalNotifier = async (db, notice) => {
  if (notice.kind === "fresh_link") {
    const copy = copyFor(notice.locale).freshLink;
    await getEmailTransport().send({
      to: notice.to,
      subject: copy.subject(notice.brandName),
      text: `${copy.body(notice.brandName)}\n\n${notice.url}\n\n${copy.footer}`,
      html: `<p>${escapeHtml(copy.body(notice.brandName))}</p><p><a href="${escapeHtml(notice.url)}">${escapeHtml(copy.button)}</a></p><p>${escapeHtml(copy.footer)}</p>`,
      idempotencyKey: notice.idempotencyKey,
      fromName: notice.brandName,
    });
    return;
  }
  await sendPortalNotice(db, notice);
};

let current: PortalNotifier = defaultPortalNotifier;

/** Tests install a recording notifier here; null restores the default. */
export function setPortalNotifier(notifier: PortalNotifier | null): void {
  current = notifier ?? defaultPortalNotifier;
}

/** Tell, after the change is committed; a failed email never undoes what the customer did. */
export async function notifyPortal(db: Db, notice: PortalNotice): Promise<void> {
  try {
    await current(db, notice);
  } catch (error) {
    logger.warn(`portal notice ${notice.kind} failed`, { caseId: notice.caseId, error: String(error) });
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
