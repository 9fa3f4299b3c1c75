import { and, eq } from "drizzle-orm";
import { invoices, paymentAttempts, policies, policyVersions, type Customer, type Invoice, type Subscription } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { count, sql } from "drizzle-orm";
import { newId } from "@/lib/ids";
import { listSegments, DEFAULT_POLICY_KEY } from "./policies";
import { defaultPolicy } from "./policy";
import { chooseSegment } from "./segments";
import type { DeclineCategory } from "./types";

/** Attributes a segment rule can test. */
async function attributesOf(tx: DbOrTx, input: { customer: Customer; subscription: Subscription | null; invoice: Invoice; category: DeclineCategory; now: Date }) {
  const [paid] = await tx
    .select({ total: sql<number>`coalesce(sum(${invoices.amountPaid}), 0)::int` })
    .from(invoices)
    .where(eq(invoices.customerId, input.customer.id));
  const [failures] = await tx
    .select({ n: count() })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.customerId, input.customer.id), eq(paymentAttempts.status, "failed")));
  const since = input.subscription?.startedAt ?? input.customer.createdAt;
  return {
    mrr_minor: input.subscription?.mrrMinor ?? 0,
    tenure_days: Math.max(0, Math.floor((input.now.getTime() - since.getTime()) / 86_400_000)),
    lifetime_value_minor: paid?.total ?? 0,
    past_failures: Math.max(0, (failures?.n ?? 0) - 1),
    plan: input.subscription?.planName ?? "",
    country: input.customer.country ?? "",
    currency: input.invoice.currency,
    decline_category: input.category,
  };
}

/** The policy version a new case follows: the first matching segment, else the default (created on first need). */
export async function chooseCasePolicy(tx: DbOrTx, workspaceId: string, input: { customer: Customer; subscription: Subscription | null; invoice: Invoice; category: DeclineCategory; now: Date }) {
  const rules = await listSegments(tx, workspaceId);
  const [fallback] = await tx.select().from(policies).where(and(eq(policies.workspaceId, workspaceId), eq(policies.isDefault, true)));
  const defaultKey = fallback?.key ?? DEFAULT_POLICY_KEY;
  const attributes = await attributesOf(tx, input);
  const picked = chooseSegment(
    rules.map((r) => ({ name: r.name, policyKey: r.policyKey, conditions: r.conditions as never })),
    attributes,
    defaultKey,
  );
  const version = (await versionOf(tx, workspaceId, picked.policyKey)) ?? (await versionOf(tx, workspaceId, defaultKey)) ?? (await createDefault(tx, workspaceId));
  return { ...version, segment: picked.segment };
}

async function versionOf(tx: DbOrTx, workspaceId: string, key: string) {
  const [row] = await tx
    .select({ versionId: policyVersions.id, version: policyVersions.version, policyKey: policies.key })
    .from(policies)
    .innerJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.version, policies.currentVersion)))
    .where(and(eq(policies.workspaceId, workspaceId), eq(policies.key, key)));
  return row ?? null;
}

/** Inside the caller's transaction (a case opens in the webhook's processing transaction). */
async function createDefault(tx: DbOrTx, workspaceId: string) {
  const policyId = newId("pol");
  await tx.insert(policies).values({ id: policyId, workspaceId, key: DEFAULT_POLICY_KEY, name: defaultPolicy.name, isDefault: true, currentVersion: 1 }).onConflictDoNothing();
  const existing = await versionOf(tx, workspaceId, DEFAULT_POLICY_KEY);
  if (existing) return existing;
  const versionId = newId("pv");
  await tx.insert(policyVersions).values({ id: versionId, workspaceId, policyId, version: 1, definition: defaultPolicy as unknown as Record<string, unknown>, createdBy: "system" });
  return { versionId, version: 1, policyKey: DEFAULT_POLICY_KEY };
}
