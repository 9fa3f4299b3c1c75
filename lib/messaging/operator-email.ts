import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { memberships, messages, users, type Message } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { newId } from "@/lib/ids";
import { deliverEmail } from "./deliver";
import { findSuppression } from "./suppressions";

/**
 * Plain emails to a workspace's own operators (owners and admins), such as "a customer asked
 * for help". They are not customer templates: no branding, no translation, no operator
 * overrides and no unsubscribe link, so they are written here as text with a minimal HTML
 * part rather than as react-email templates. Like every message they are one row per
 * idempotency key in the messages table (the outbox, which is the delivery in the embedded
 * mode), without a customer or case: the weekly cap and case rules read customer messages only.
 */

export type OperatorEmail = { subject: string; text: string; html: string };

/** Owners and admins with an address: the people who can act on a case. */
export async function workspaceOperators(db: DbOrTx, workspaceId: string): Promise<{ userId: string; email: string }[]> {
  const rows = await db
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, ["owner", "admin"]), isNotNull(users.email)));
  return rows.map((r) => ({ userId: r.userId, email: r.email! }));
}

const settled: readonly Message["status"][] = ["sent", "delivered", "bounced", "complained", "skipped"];

/** Send one operator email once per key; a bounced or complaining operator address is skipped. */
export async function sendOperatorEmail(
  db: Db,
  input: { workspaceId: string; to: string; template: string; idempotencyKey: string; now: Date; email: OperatorEmail },
): Promise<Message["status"]> {
  const [earlier] = await db.select().from(messages).where(eq(messages.idempotencyKey, input.idempotencyKey));
  if (earlier && settled.includes(earlier.status)) return earlier.status;

  const suppression = await findSuppression(db, input.workspaceId, "email", input.to);
  // Operators are never offered an unsubscribe link, so only a dead or complaining address stops these.
  const skipReason = suppression && suppression.reason !== "unsubscribed" ? `the recipient is suppressed (${suppression.reason})` : null;
  const [row] = await db
    .insert(messages)
    .values({
      id: newId("msg"),
      workspaceId: input.workspaceId,
      channel: "email",
      recipient: input.to,
      template: input.template,
      locale: "en",
      ...input.email,
      idempotencyKey: input.idempotencyKey,
      status: skipReason ? "skipped" : "queued",
      skipReason,
      createdAt: input.now,
    })
    .onConflictDoUpdate({ target: messages.idempotencyKey, set: { status: skipReason ? "skipped" : "queued", skipReason, updatedAt: new Date() }, setWhere: inArray(messages.status, ["queued", "failed"]) })
    .returning();
  if (!row) return "sent";
  const audit = (action: string, data: Record<string, unknown>) =>
    recordAudit(db, { workspaceId: input.workspaceId, actor: { kind: "system" }, action, targetType: "message", targetId: row.id, data: { template: input.template, recipient: input.to, ...data }, at: input.now });
  if (skipReason) {
    await audit("message.skipped", { reason: skipReason });
    return "skipped";
  }

  const outbox = getEnv().emailTransport === "outbox";
  const delivery = outbox ? { ok: true as const, providerId: null, attempts: 0 } : await deliverEmail({ to: input.to, ...input.email, idempotencyKey: input.idempotencyKey, fromName: "Dunwell" });
  if (!delivery.ok) {
    await db.update(messages).set({ status: "failed", error: delivery.error.message, attempts: row.attempts + delivery.attempts, updatedAt: new Date() }).where(eq(messages.id, row.id));
    await audit("message.failed", { error: delivery.error.message });
    return "failed";
  }
  await db
    .update(messages)
    .set({ status: "sent", providerId: delivery.providerId, sentAt: input.now, error: null, attempts: row.attempts + delivery.attempts, updatedAt: new Date() })
    .where(eq(messages.id, row.id));
  await audit("message.sent", { providerId: delivery.providerId, transport: outbox ? "outbox" : "resend" });
  return "sent";
}
