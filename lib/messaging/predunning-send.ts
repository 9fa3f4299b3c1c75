import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { cardExpiryNotices, dunningCases, paymentMethods, subscriptions, type CardExpiryNotice, type PaymentMethod, type Subscription } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { cardLinkFor } from "@/lib/portal/card-links";
import { sendMessage } from "./send";

/**
 * Sending a flagged card-expiry notice. Everything is looked at again at send time, as the
 * provider has it now: a card the account updater (or the customer) refreshed since it was
 * flagged, a renewal that moved or will not happen, and a customer already in dunning get no
 * message. Then sendMessage applies the usual rules (unsubscribed, quiet hours) with the
 * notice's key, so a notice can never produce a second message.
 */

export type NoticeCounts = { sent: number; skipped: number; deferred: number; failed: number; retry: number };

const MAX_ATTEMPTS = 5;
const formatCardExpiry = (month: number | null, year: number | null) => (month && year ? `${String(month).padStart(2, "0")}/${year}` : "at an unknown date");
const RETRY_MS = [15 * 60_000, 3_600_000, 4 * 3_600_000, 12 * 3_600_000];

/** Why this notice must not go out any more, or null. */
export async function predunningSkipReason(
  db: Db,
  notice: CardExpiryNotice,
  card: PaymentMethod | null,
  subscription: Subscription | null,
  now: Date,
): Promise<string | null> {
  if (!card || card.status !== "active") return "the card was removed";
  if (!card.isDefault) return "the card is no longer the customer's default";
  if (card.expMonth !== notice.expMonth || card.expYear !== notice.expYear) {
    return `the card was refreshed since it was flagged (it now expires ${formatCardExpiry(card.expMonth, card.expYear)}): the provider's account updater or the customer updated it`;
  }
  if (!subscription || !["active", "trialing"].includes(subscription.status) || subscription.cancelAtPeriodEnd) return "the subscription will not renew";
  if (subscription.currentPeriodEnd?.getTime() !== notice.renewalAt.getTime()) return "the renewal date changed since the card was flagged";
  if (notice.renewalAt <= now) return "the renewal has passed";
  const [live] = await db
    .select({ id: dunningCases.id })
    .from(dunningCases)
    .where(and(eq(dunningCases.workspaceId, notice.workspaceId), eq(dunningCases.customerId, notice.customerId), inArray(dunningCases.status, ["open", "paused"])))
    .limit(1);
  if (live) return `the customer is in dunning (case ${live.id}), whose messages already ask for a new card`;
  return null;
}

/** The card link outlives the renewal it warns about by a week, so a late reader can still fix the card. */
const cardLinkTtl = (renewalAt: Date, now: Date) => Math.max(renewalAt.getTime() - now.getTime(), 0) + 7 * 24 * 3600_000;

async function settle(db: Db, notice: CardExpiryNotice, status: "sent" | "skipped" | "failed", reason: string | null, messageId: string | null, now: Date) {
  await db.transaction(async (tx) => {
    await tx.update(cardExpiryNotices).set({ status, reason, messageId, updatedAt: new Date() }).where(eq(cardExpiryNotices.id, notice.id));
    if (status === "sent") return;
    const data = { idempotencyKey: notice.idempotencyKey, customerId: notice.customerId, reason };
    await recordAudit(tx, { workspaceId: notice.workspaceId, actor: { kind: "system" }, action: `predunning.${status}`, targetType: "payment_method", targetId: notice.paymentMethodId, data, at: now });
  });
}

const later = (db: Db, notice: CardExpiryNotice, dueAt: Date, reason: string, attempts = notice.attempts) =>
  db.update(cardExpiryNotices).set({ dueAt, reason, attempts, updatedAt: new Date() }).where(eq(cardExpiryNotices.id, notice.id));

export async function sendCardExpiryNotice(db: Db, notice: CardExpiryNotice, now: Date): Promise<keyof NoticeCounts> {
  const [card] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, notice.paymentMethodId));
  const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.id, notice.subscriptionId));
  const skipReason = await predunningSkipReason(db, notice, card ?? null, subscription ?? null, now);
  if (skipReason) {
    await settle(db, notice, "skipped", skipReason, null, now);
    return "skipped";
  }
  const result = await sendMessage(db, {
    workspaceId: notice.workspaceId,
    caseId: null,
    customerId: notice.customerId,
    template: "card_expiring",
    channel: "email",
    idempotencyKey: notice.idempotencyKey,
    now,
    data: {
      planName: subscription!.planName,
      // The template shows no amount; the subscription's monthly price stands in for {amount} in an operator's wording.
      amountMinor: subscription!.mrrMinor,
      currency: subscription!.currency,
      dueDate: notice.renewalAt,
      cardBrand: card!.brand,
      cardLast4: card!.last4,
      // No case yet, so no case link: a signed card-update link for this customer (lib/portal/card-links.ts).
      portalUrl: await cardLinkFor(db, notice.workspaceId, notice.customerId, now, { ttlMs: cardLinkTtl(notice.renewalAt, now) }),
    },
  });
  switch (result.status) {
    case "sent":
      await settle(db, notice, "sent", null, result.messageId, now);
      return "sent";
    case "skipped":
      await settle(db, notice, "skipped", result.reason, result.messageId, now);
      return "skipped";
    case "deferred":
      await later(db, notice, result.deferredUntil, result.reason);
      return "deferred";
    case "failed": {
      const attempts = notice.attempts + 1;
      if (!result.error.retryable || attempts >= MAX_ATTEMPTS) {
        await settle(db, notice, "failed", result.error.message, result.messageId, now);
        return "failed";
      }
      await later(db, notice, new Date(now.getTime() + Math.max(RETRY_MS[attempts - 1] ?? 3_600_000, result.error.retryAfterMs ?? 0)), result.error.message, attempts);
      return "retry";
    }
  }
}

/** Send the workspace's notices that are due, oldest first; one failing notice never stops the rest. */
export async function sendDueCardExpiryNotices(db: Db, workspaceId: string, now: Date, limit = 500): Promise<NoticeCounts> {
  const counts: NoticeCounts = { sent: 0, skipped: 0, deferred: 0, failed: 0, retry: 0 };
  const due = await db
    .select()
    .from(cardExpiryNotices)
    .where(and(eq(cardExpiryNotices.workspaceId, workspaceId), eq(cardExpiryNotices.status, "pending"), lte(cardExpiryNotices.dueAt, now)))
    .orderBy(asc(cardExpiryNotices.dueAt), asc(cardExpiryNotices.id))
    .limit(limit);
  for (const notice of due) {
    try {
      counts[await sendCardExpiryNotice(db, notice, now)] += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`card-expiry notice ${notice.id} failed`, { error: message });
      if (notice.attempts + 1 >= MAX_ATTEMPTS) {
        await settle(db, notice, "failed", message, null, now);
        counts.failed += 1;
        continue;
      }
      await later(db, notice, new Date(now.getTime() + 3_600_000), message, notice.attempts + 1);
      counts.retry += 1;
    }
  }
  return counts;
}
