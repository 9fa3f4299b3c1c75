import { and, asc, eq, gt, inArray, isNotNull, lte } from "drizzle-orm";
import { cardExpiryNotices, paymentMethods, subscriptions, workspaces, type CardExpiryNoticeSource } from "@/drizzle/schema";
import type { BillingListener } from "@/lib/billing/apply";
import type { Db, DbOrTx } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import { sendDueCardExpiryNotices, type NoticeCounts } from "./predunning-send";

/**
 * Pre-dunning: tell a customer their card runs out before it is charged again. A pass (the
 * scheduler's "predunning" job) flags each default card that expires before, or in the month
 * of, its subscription's next renewal within the next 30 days, once per card, expiry and
 * renewal; the provider's own "card expiring" events (Stripe customer.source.expiring,
 * Chargebee payment_source_expiring) flag it too, for when it comes due. Flagged notices are
 * then sent as the "card_expiring" message (lib/messaging/predunning-send.ts).
 */

export const PREDUNNING_WINDOW_DAYS = 30;
const DAY_MS = 24 * 3_600_000;
/** A provider's event may concern an annual plan's renewal months away: flag it for 30 days before. */
const EVENT_HORIZON_DAYS = 400;

export type CardExpiry = { expMonth: number; expYear: number };

/** A card works through the last day of its expiry month; one expiring in the renewal's (UTC) month may fail on the day. */
export function expiresByRenewal(card: CardExpiry, renewalAt: Date): boolean {
  return card.expYear * 12 + card.expMonth <= renewalAt.getUTCFullYear() * 12 + renewalAt.getUTCMonth() + 1;
}

/** One notice per card, expiry and renewal; the message sent for it carries the same key. */
export function predunningKey(paymentMethodId: string, card: CardExpiry, renewalAt: Date): string {
  return `predunning:${paymentMethodId}:${card.expYear}-${String(card.expMonth).padStart(2, "0")}:${renewalAt.toISOString().slice(0, 10)}`;
}

/** When a notice for this renewal should go out: at once inside the window, else when the window opens. */
export const noticeDueAt = (renewalAt: Date, now: Date) => new Date(Math.max(now.getTime(), renewalAt.getTime() - PREDUNNING_WINDOW_DAYS * DAY_MS));

/**
 * Flag the workspace's default cards that run out by their subscription's next renewal
 * (renewing after `now` and within `horizonDays`); the earliest such renewal per card.
 * Idempotent: a notice that exists (sent, skipped or pending) is left as it is.
 */
export async function flagExpiringCards(
  db: DbOrTx,
  workspaceId: string,
  now: Date,
  options: { source: CardExpiryNoticeSource; paymentMethodId?: string; horizonDays?: number },
): Promise<number> {
  const horizon = new Date(now.getTime() + (options.horizonDays ?? PREDUNNING_WINDOW_DAYS) * DAY_MS);
  const rows = await db
    .select({
      customerId: subscriptions.customerId,
      subscriptionId: subscriptions.id,
      renewalAt: subscriptions.currentPeriodEnd,
      paymentMethodId: paymentMethods.id,
      expMonth: paymentMethods.expMonth,
      expYear: paymentMethods.expYear,
    })
    .from(subscriptions)
    .innerJoin(paymentMethods, and(eq(paymentMethods.customerId, subscriptions.customerId), eq(paymentMethods.isDefault, true), eq(paymentMethods.status, "active")))
    .where(
      and(
        eq(subscriptions.workspaceId, workspaceId),
        inArray(subscriptions.status, ["active", "trialing"]),
        eq(subscriptions.cancelAtPeriodEnd, false),
        gt(subscriptions.currentPeriodEnd, now),
        lte(subscriptions.currentPeriodEnd, horizon),
        isNotNull(paymentMethods.expMonth),
        isNotNull(paymentMethods.expYear),
        options.paymentMethodId ? eq(paymentMethods.id, options.paymentMethodId) : undefined,
      ),
    )
    .orderBy(asc(subscriptions.currentPeriodEnd), asc(subscriptions.id));

  const earliest = new Map<string, (typeof rows)[number] & CardExpiry & { renewalAt: Date }>();
  for (const row of rows) {
    const card = { expMonth: row.expMonth!, expYear: row.expYear! };
    if (!earliest.has(row.paymentMethodId) && expiresByRenewal(card, row.renewalAt!)) earliest.set(row.paymentMethodId, { ...row, ...card, renewalAt: row.renewalAt! });
  }
  if (earliest.size === 0) return 0;
  const flagged = await db
    .insert(cardExpiryNotices)
    .values(
      [...earliest.values()].map((c) => ({
        id: newId("cen"),
        workspaceId,
        customerId: c.customerId,
        paymentMethodId: c.paymentMethodId,
        subscriptionId: c.subscriptionId,
        expMonth: c.expMonth,
        expYear: c.expYear,
        renewalAt: c.renewalAt,
        idempotencyKey: predunningKey(c.paymentMethodId, c, c.renewalAt),
        source: options.source,
        dueAt: noticeDueAt(c.renewalAt, now),
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: cardExpiryNotices.id });
  return flagged.length;
}

/**
 * The provider says a card is about to expire: flag it against the customer's next renewal,
 * inside the event's processing transaction (no network here). The next pass sends it when
 * due: at once when the renewal is within 30 days.
 */
export const predunningListener: BillingListener = async (tx, { scope, event, ids, clock }) => {
  if (event.type !== "payment_method.expiring" || !ids.paymentMethodId) return;
  const now = (await workspaceClock(tx, scope.workspaceId, clock)).now();
  await flagExpiringCards(tx, scope.workspaceId, now, { source: "provider_event", paymentMethodId: ids.paymentMethodId, horizonDays: EVENT_HORIZON_DAYS });
};

export type PredunningPass = NoticeCounts & { flagged: number };

/**
 * One pass over every workspace, each on its own clock (sandbox test clocks): flag, then send
 * what is due. Runs hourly: flagging is idempotent, and a notice deferred to the start of a
 * customer's sending hours must find a pass inside them.
 */
export async function runPredunning(db: Db, options: { now?: Date; workspaceId?: string } = {}): Promise<PredunningPass> {
  const base = options.now ?? new Date();
  const totals: PredunningPass = { flagged: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, retry: 0 };
  const scope = options.workspaceId ? eq(workspaces.id, options.workspaceId) : undefined;
  for (const ws of await db.select({ id: workspaces.id, offset: workspaces.clockOffsetMs }).from(workspaces).where(scope)) {
    const now = new Date(base.getTime() + ws.offset);
    try {
      totals.flagged += await flagExpiringCards(db, ws.id, now, { source: "scan" });
      const counts = await sendDueCardExpiryNotices(db, ws.id, now);
      for (const key of Object.keys(counts) as (keyof NoticeCounts)[]) totals[key] += counts[key];
    } catch (error) {
      logger.warn(`pre-dunning pass for workspace ${ws.id} failed`, { error: String(error) });
    }
  }
  return totals;
}
