import { and, asc, desc, eq } from "drizzle-orm";
import { policies, policyVersions, segments, type PolicyVersion } from "@/drizzle/schema";
import { actorLabel, recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { defaultPolicy, describeValidationErrors, validatePolicy, type Policy } from "./policy";

export const DEFAULT_POLICY_KEY = "default";

const keyPattern = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Keys the admin uses as routes under /admin/policies/. */
const reservedKeys = new Set(["new", "decline-codes"]);

/**
 * Save a policy definition as a new version (the first save creates the policy). Open cases
 * keep the version they started with until an operator re-plans them.
 */
export async function savePolicy(db: Db, workspaceId: string, key: string, definition: unknown, actor: Actor, options: { makeDefault?: boolean } = {}) {
  if (!keyPattern.test(key)) throw new AppError("invalid_input", "key: use lower-case letters, digits and dashes, e.g. high-value.");
  if (reservedKeys.has(key)) throw new AppError("invalid_input", `key: "${key}" is reserved; choose another.`);
  const checked = validatePolicy(definition);
  if (!checked.ok) throw new AppError("invalid_input", describeValidationErrors(checked.errors).join("; "), { errors: checked.errors });
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(policies).where(and(eq(policies.workspaceId, workspaceId), eq(policies.key, key))).for("update");
    const version = existing ? existing.currentVersion + 1 : 1;
    const policyId = existing?.id ?? newId("pol");
    if (!existing) {
      await tx.insert(policies).values({ id: policyId, workspaceId, key, name: checked.policy.name, isDefault: Boolean(options.makeDefault), currentVersion: 1 });
    } else {
      await tx.update(policies).set({ name: checked.policy.name, currentVersion: version, updatedAt: new Date() }).where(eq(policies.id, policyId));
    }
    if (options.makeDefault) {
      await tx.update(policies).set({ isDefault: false }).where(eq(policies.workspaceId, workspaceId));
      await tx.update(policies).set({ isDefault: true }).where(eq(policies.id, policyId));
    }
    const [saved] = await tx
      .insert(policyVersions)
      .values({ id: newId("pv"), workspaceId, policyId, version, definition: checked.policy as unknown as Record<string, unknown>, createdBy: actorLabel(actor) })
      .returning();
    await recordAudit(tx, { workspaceId, actor, action: "policy.saved", targetType: "policy", targetId: policyId, data: { key, version } });
    return { policyId, key, version, versionId: saved!.id, policy: checked.policy };
  });
}

/** Every workspace has a default policy; created on first need. */
export async function ensureDefaultPolicy(db: Db, workspaceId: string): Promise<PolicyVersion> {
  const [row] = await db.select().from(policies).where(and(eq(policies.workspaceId, workspaceId), eq(policies.isDefault, true)));
  if (!row) {
    try {
      await savePolicy(db, workspaceId, DEFAULT_POLICY_KEY, defaultPolicy, { kind: "system" }, { makeDefault: true });
    } catch (error) {
      // Two first failures at once: the other created it.
      if (!(error instanceof Error && /duplicate|unique/i.test(error.message))) throw error;
    }
    return ensureDefaultPolicy(db, workspaceId);
  }
  return currentVersion(db, workspaceId, row.key);
}

export async function currentVersion(db: DbOrTx, workspaceId: string, key: string): Promise<PolicyVersion> {
  const [row] = await db
    .select({ version: policyVersions })
    .from(policies)
    .innerJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.version, policies.currentVersion)))
    .where(and(eq(policies.workspaceId, workspaceId), eq(policies.key, key)));
  if (!row) throw new AppError("not_found", `No policy "${key}" in this workspace.`);
  return row.version;
}

export async function getPolicyVersion(db: DbOrTx, workspaceId: string, versionId: string): Promise<{ row: PolicyVersion; policy: Policy }> {
  const [row] = await db.select().from(policyVersions).where(and(eq(policyVersions.workspaceId, workspaceId), eq(policyVersions.id, versionId)));
  if (!row) throw new AppError("not_found", "No such policy version.");
  return { row, policy: row.definition as unknown as Policy };
}

export async function listPolicies(db: DbOrTx, workspaceId: string) {
  return db.select().from(policies).where(eq(policies.workspaceId, workspaceId)).orderBy(desc(policies.isDefault), asc(policies.key));
}

export async function policyHistory(db: DbOrTx, workspaceId: string, key: string) {
  return db
    .select({ version: policyVersions.version, id: policyVersions.id, createdAt: policyVersions.createdAt, createdBy: policyVersions.createdBy, definition: policyVersions.definition })
    .from(policyVersions)
    .innerJoin(policies, eq(policies.id, policyVersions.policyId))
    .where(and(eq(policies.workspaceId, workspaceId), eq(policies.key, key)))
    .orderBy(desc(policyVersions.version));
}

export async function listSegments(db: DbOrTx, workspaceId: string) {
  return db.select().from(segments).where(eq(segments.workspaceId, workspaceId)).orderBy(asc(segments.position));
}
