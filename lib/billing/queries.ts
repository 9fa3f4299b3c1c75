import { and, desc, eq, ilike, or } from "drizzle-orm";
import { customers, invoices, paymentAttempts, paymentMethods, type InvoiceStatus } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Read-only lists for the admin and the CLI; every query is scoped by workspace. */

export async function listInvoices(db: DbOrTx, workspaceId: string, filter: { status?: InvoiceStatus; search?: string; limit?: number } = {}) {
  const search = filter.search?.trim();
  return db
    .select({
      id: invoices.id,
      externalId: invoices.externalId,
      connectionId: invoices.connectionId,
      number: invoices.number,
      status: invoices.status,
      amountDue: invoices.amountDue,
      amountRemaining: invoices.amountRemaining,
      currency: invoices.currency,
      dueAt: invoices.dueAt,
      issuedAt: invoices.issuedAt,
      nextPaymentAttemptAt: invoices.nextPaymentAttemptAt,
      attemptCount: invoices.attemptCount,
      customerId: invoices.customerId,
      customerEmail: customers.email,
      customerName: customers.name,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        filter.status ? eq(invoices.status, filter.status) : undefined,
        search ? or(ilike(customers.email, `%${search}%`), ilike(invoices.number, `%${search}%`), eq(invoices.externalId, search)) : undefined,
      ),
    )
    .orderBy(desc(invoices.issuedAt), desc(invoices.id))
    .limit(filter.limit ?? 200);
}

export async function getInvoice(db: DbOrTx, workspaceId: string, invoiceId: string) {
  const [row] = await db
    .select({ invoice: invoices, customer: customers })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.workspaceId, workspaceId), eq(invoices.id, invoiceId)));
  if (!row) throw new AppError("not_found", "No such invoice in this workspace.");
  return row;
}

export async function listCustomers(db: DbOrTx, workspaceId: string, filter: { search?: string; limit?: number } = {}) {
  const search = filter.search?.trim();
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), search ? or(ilike(customers.email, `%${search}%`), ilike(customers.name, `%${search}%`), eq(customers.externalId, search)) : undefined))
    .orderBy(customers.email, customers.id)
    .limit(filter.limit ?? 200);
}

export async function listPaymentMethodsOfCustomer(db: DbOrTx, workspaceId: string, customerId: string) {
  return db.select().from(paymentMethods).where(and(eq(paymentMethods.workspaceId, workspaceId), eq(paymentMethods.customerId, customerId)));
}

export async function listAttemptsOfInvoice(db: DbOrTx, workspaceId: string, invoiceId: string) {
  return db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.workspaceId, workspaceId), eq(paymentAttempts.invoiceId, invoiceId)))
    .orderBy(desc(paymentAttempts.attemptedAt));
}
