import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { connections, paymentAttempts, type PaymentAttempt } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import type { AttemptFacts } from "./types";

/** A stored attempt as the classifier and the network guard read it. */
export function factsOf(attempt: Pick<PaymentAttempt, "attemptedAt" | "status" | "declineCode" | "failureCode" | "adviceCode" | "networkAdviceCode" | "networkDeclineCode" | "cardBrand" | "cardFingerprint">, provider: AttemptFacts["provider"]): AttemptFacts {
  return {
    at: attempt.attemptedAt,
    status: attempt.status,
    provider,
    declineCode: attempt.declineCode,
    failureCode: attempt.failureCode,
    adviceCode: attempt.adviceCode,
    networkAdviceCode: attempt.networkAdviceCode,
    networkDeclineCode: attempt.networkDeclineCode,
    cardBrand: attempt.cardBrand,
    cardFingerprint: attempt.cardFingerprint,
  };
}

/** Every attempt known on these cards in the last 31 days, the provider's own included, across the workspace. */
export async function cardHistory(db: DbOrTx, workspaceId: string, fingerprints: string[], now: Date): Promise<AttemptFacts[]> {
  if (fingerprints.length === 0) return [];
  const rows = await db
    .select({ attempt: paymentAttempts, provider: connections.provider })
    .from(paymentAttempts)
    .innerJoin(connections, eq(connections.id, paymentAttempts.connectionId))
    .where(
      and(
        eq(paymentAttempts.workspaceId, workspaceId),
        inArray(paymentAttempts.cardFingerprint, fingerprints),
        gte(paymentAttempts.attemptedAt, new Date(now.getTime() - 31 * 24 * 3600 * 1000)),
      ),
    )
    .orderBy(desc(paymentAttempts.attemptedAt));
  return rows.map((r) => factsOf(r.attempt, r.provider));
}
