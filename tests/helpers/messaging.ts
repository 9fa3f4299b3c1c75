import { createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { vi } from "vitest";
import { auditLog, messages, workspaces } from "@/drizzle/schema";
import { resetEnvForTests } from "@/lib/env";
import type { SendMessageInput } from "@/lib/messaging/send";
import { makeSimulation } from "./dunning";

/** A sandbox workspace with one open case (customer in `timezone`), ready for sendMessage. */
export async function messagingCase(options: { timezone?: string; workspaceTimezone?: string; start?: string } = {}) {
  const sim = await makeSimulation({ timezone: options.timezone, start: options.start });
  if (options.workspaceTimezone) await sim.db.update(workspaces).set({ timezone: options.workspaceTimezone }).where(eq(workspaces.id, sim.workspaceId));
  const renewal = await sim.failingRenewal("tok_generic_decline");
  const kase = await sim.caseOf(renewal.caseId!);
  let n = 0;
  const input = (over: Partial<SendMessageInput> = {}): SendMessageInput => ({
    workspaceId: sim.workspaceId,
    caseId: kase.id,
    customerId: kase.customerId,
    template: "reminder",
    channel: "email",
    idempotencyKey: `test:${kase.id}:${(n += 1)}`,
    now: sim.clock.now(),
    tone: "neutral",
    declineCategory: "soft",
    data: { amountMinor: kase.amountMinor, currency: kase.currency, invoiceNumber: "INV-1", portalUrl: `http://localhost:3999/portal/${kase.id}` },
    ...over,
  });
  const messagesOf = () => sim.db.select().from(messages).where(eq(messages.workspaceId, sim.workspaceId)).orderBy(messages.createdAt);
  const auditOf = async (action: string) => (await sim.db.select().from(auditLog).where(eq(auditLog.workspaceId, sim.workspaceId))).filter((a) => a.action === action);
  return { sim, db: sim.db, kase, renewal, input, messagesOf, auditOf };
}

/** Configuration for one test: set variables, re-read the env module; restore() undoes both. */
export function useEnv(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetEnvForTests();
  return () => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  };
}

export const webhookSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** Sign a body the way Resend (Svix / Standard Webhooks) does: v1,base64(HMAC-SHA256(id.timestamp.body)). */
export function signResendWebhook(secret: string, body: string, options: { id?: string; timestamp?: number } = {}) {
  const id = options.id ?? `msg_${randomBytes(8).toString("hex")}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}`, "content-type": "application/json" };
}

export const at = (iso: string) => new Date(iso);
