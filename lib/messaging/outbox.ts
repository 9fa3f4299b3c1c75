import { and, desc, eq, ilike, or, sql } from "drizzle-orm";
import { messages, type Message, type MessageStatus } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** The admin Outbox: every message of a workspace, newest first, with its rendered content on the detail page. */

export const messageStatuses = ["queued", "sent", "delivered", "bounced", "complained", "skipped", "failed"] as const satisfies readonly MessageStatus[];

export type OutboxFilter = { status?: MessageStatus; search?: string; caseId?: string; limit?: number };

export async function listOutbox(db: DbOrTx, workspaceId: string, filter: OutboxFilter = {}) {
  const search = filter.search?.trim();
  return db
    .select({
      id: messages.id,
      createdAt: messages.createdAt,
      sentAt: messages.sentAt,
      recipient: messages.recipient,
      template: messages.template,
      locale: messages.locale,
      channel: messages.channel,
      subject: messages.subject,
      status: messages.status,
      skipReason: messages.skipReason,
      error: messages.error,
      caseId: messages.caseId,
    })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        filter.status ? eq(messages.status, filter.status) : undefined,
        filter.caseId ? eq(messages.caseId, filter.caseId) : undefined,
        search ? or(ilike(messages.recipient, `%${search}%`), ilike(messages.subject, `%${search}%`), eq(messages.template, search)) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(filter.limit ?? 100);
}

export async function countOutboxByStatus(db: DbOrTx, workspaceId: string): Promise<Record<MessageStatus, number>> {
  const rows = await db
    .select({ status: messages.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(messages)
    .where(eq(messages.workspaceId, workspaceId))
    .groupBy(messages.status);
  const counts = Object.fromEntries(messageStatuses.map((s) => [s, 0])) as Record<MessageStatus, number>;
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

export async function getOutboxMessage(db: DbOrTx, workspaceId: string, id: string): Promise<Message> {
  const [row] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)));
  if (!row) throw new AppError("not_found", "No such message in this workspace.");
  return row;
}
