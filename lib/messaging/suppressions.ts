import { and, eq } from "drizzle-orm";
import { suppressions, type MessageChannelKind, type Suppression, type SuppressionReason } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { DbOrTx } from "@/lib/db/client";

/** Addresses compare case-insensitively; numbers without spaces. */
export const normalizeRecipient = (channel: MessageChannelKind, recipient: string) =>
  channel === "email" ? recipient.trim().toLowerCase() : recipient.replace(/[\s()-]/g, "");

export async function findSuppression(db: DbOrTx, workspaceId: string, channel: MessageChannelKind, recipient: string): Promise<Suppression | null> {
  const [row] = await db
    .select()
    .from(suppressions)
    .where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.channel, channel), eq(suppressions.recipient, normalizeRecipient(channel, recipient))));
  return row ?? null;
}

/**
 * Stop writing to a recipient. The first reason stays (an unsubscribed address that later
 * bounces is still "unsubscribed"); adding it again is a no-op, so webhooks may repeat.
 */
export async function addSuppression(
  db: DbOrTx,
  input: { workspaceId: string; channel: MessageChannelKind; recipient: string; reason: SuppressionReason; at: Date; actor: Actor; source: string },
): Promise<{ added: boolean; reason: SuppressionReason }> {
  const recipient = normalizeRecipient(input.channel, input.recipient);
  const [row] = await db
    .insert(suppressions)
    .values({ workspaceId: input.workspaceId, channel: input.channel, recipient, reason: input.reason, createdAt: input.at })
    .onConflictDoNothing()
    .returning();
  if (!row) return { added: false, reason: (await findSuppression(db, input.workspaceId, input.channel, recipient))?.reason ?? input.reason };
  await recordAudit(db, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "suppression.added",
    targetType: "recipient",
    targetId: recipient,
    data: { channel: input.channel, reason: input.reason, source: input.source },
    at: input.at,
  });
  return { added: true, reason: input.reason };
}
