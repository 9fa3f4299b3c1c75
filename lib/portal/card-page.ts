import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { paymentMethods, subscriptions } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import type { PortalCustomer } from "./context";

/** What the card-update page of a card link says: the card on file, when it expires, the next renewal it must pay. */
export type CardUpdateView = { card: string | null; expiry: string | null; renewalAt: Date | null };

export async function loadCardUpdateView(db: DbOrTx, p: PortalCustomer): Promise<CardUpdateView> {
  const now = p.clock.now();
  const [[card], [renewal]] = await Promise.all([
    db
      .select()
      .from(paymentMethods)
      .where(and(eq(paymentMethods.workspaceId, p.workspace.id), eq(paymentMethods.customerId, p.customer.id), eq(paymentMethods.isDefault, true), eq(paymentMethods.status, "active")))
      .limit(1),
    db
      .select({ at: subscriptions.currentPeriodEnd })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.workspaceId, p.workspace.id),
          eq(subscriptions.customerId, p.customer.id),
          inArray(subscriptions.status, ["active", "trialing"]),
          eq(subscriptions.cancelAtPeriodEnd, false),
          gt(subscriptions.currentPeriodEnd, now),
        ),
      )
      .orderBy(asc(subscriptions.currentPeriodEnd))
      .limit(1),
  ]);
  return {
    card: card ? p.text.card(card.brand, card.last4) : null,
    expiry: card?.expMonth && card.expYear ? `${String(card.expMonth).padStart(2, "0")}/${card.expYear}` : null,
    renewalAt: renewal?.at ?? null,
  };
}
