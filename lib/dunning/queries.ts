import { and, asc, desc, eq, ilike, lte, or, sql } from "drizzle-orm";
import { caseEvents, customers, dunningCases, dunningSteps, invoices, paymentAttempts, type CaseStatus } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { currenciesByExponent } from "@/lib/messaging/format";
import { AppError } from "@/lib/errors";

export type CaseFilter = {
  status?: CaseStatus;
  category?: string;
  /** In major units of each case's own currency (49.5 is €49.50, ¥49.5, KWD 49.500). */
  minAmount?: number;
  maxAmount?: number;
  /** Opened at least this many days ago. */
  minAgeDays?: number;
  search?: string;
  limit?: number;
  now?: Date;
};

/** A case's amount in major units of its currency, for filters typed by a person (exponents as lib/messaging/format.ts). */
const amountMajor = sql<number>`(${dunningCases.amountMinor}::numeric / case
  when upper(${dunningCases.currency}) in (${sql.join(currenciesByExponent[0].map((c) => sql`${c}`), sql`, `)}) then 1
  when upper(${dunningCases.currency}) in (${sql.join(currenciesByExponent[3].map((c) => sql`${c}`), sql`, `)}) then 1000
  else 100 end)`;

/** Cases of a workspace, newest first, with the customer and invoice an operator recognises them by. */
export async function listCases(db: DbOrTx, workspaceId: string, filter: CaseFilter = {}) {
  const search = filter.search?.trim();
  const now = filter.now ?? new Date();
  return db
    .select({
      id: dunningCases.id,
      status: dunningCases.status,
      declineCategory: dunningCases.declineCategory,
      amountMinor: dunningCases.amountMinor,
      currency: dunningCases.currency,
      recoveredMinor: dunningCases.recoveredMinor,
      openedAt: dunningCases.openedAt,
      closedAt: dunningCases.closedAt,
      closeReason: dunningCases.closeReason,
      segment: dunningCases.segment,
      customerEmail: customers.email,
      customerName: customers.name,
      invoiceNumber: invoices.number,
      invoiceExternalId: invoices.externalId,
      nextStepAt: sql<Date | null>`(select min(s.due_at) from dunning_steps s where s.case_id = ${dunningCases.id} and s.status = 'pending')`.mapWith((v) => (v ? new Date(v) : null)),
    })
    .from(dunningCases)
    .innerJoin(customers, eq(customers.id, dunningCases.customerId))
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .where(
      and(
        eq(dunningCases.workspaceId, workspaceId),
        filter.status ? eq(dunningCases.status, filter.status) : undefined,
        filter.category ? eq(dunningCases.declineCategory, filter.category) : undefined,
        filter.minAmount !== undefined ? sql`${amountMajor} >= ${String(filter.minAmount)}::numeric` : undefined,
        filter.maxAmount !== undefined ? sql`${amountMajor} <= ${String(filter.maxAmount)}::numeric` : undefined,
        filter.minAgeDays !== undefined ? lte(dunningCases.openedAt, new Date(now.getTime() - filter.minAgeDays * 86_400_000)) : undefined,
        search ? or(ilike(customers.email, `%${search}%`), ilike(invoices.number, `%${search}%`), eq(invoices.externalId, search)) : undefined,
      ),
    )
    .orderBy(desc(dunningCases.openedAt), desc(dunningCases.id))
    .limit(filter.limit ?? 200);
}

/** Everything the case page shows: the case, its timeline, attempts and the plan. */
export async function getCaseDetail(db: DbOrTx, workspaceId: string, caseId: string) {
  const [row] = await db
    .select({ c: dunningCases, customer: customers, invoice: invoices })
    .from(dunningCases)
    .innerJoin(customers, eq(customers.id, dunningCases.customerId))
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .where(and(eq(dunningCases.workspaceId, workspaceId), eq(dunningCases.id, caseId)));
  if (!row) throw new AppError("not_found", "No such case in this workspace.");
  const [events, attempts, steps] = await Promise.all([
    db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.at), asc(caseEvents.seq)),
    db.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, row.invoice.id)).orderBy(asc(paymentAttempts.attemptedAt)),
    db.select().from(dunningSteps).where(eq(dunningSteps.caseId, caseId)).orderBy(asc(dunningSteps.dueAt), asc(dunningSteps.key)),
  ]);
  return { ...row, events, attempts, steps };
}
