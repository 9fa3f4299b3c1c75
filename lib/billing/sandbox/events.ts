import { createHmac, timingSafeEqual } from "node:crypto";
import { and, sql } from "drizzle-orm";
import { z } from "zod";
import { WebhookRejected } from "../errors";
import type { BillingEventType, NormalizedEvent, Page, ProviderContext, VerifiedWebhook, WebhookRequest } from "../types";
import { toAttempt, toCustomer, toInvoice, toPaymentMethod, toSubscription } from "./mappers";
import { getObject, listObjects, numericField, putObject, unixSeconds, type SandboxEvent, type SandboxScope } from "./store";

/**
 * The sandbox's webhooks, signed like Stripe's (`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`)
 * under its own header, delivered at least once, oldest first.
 */

export const SANDBOX_SIGNATURE_HEADER = "dunwell-sandbox-signature";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, payload: string) => createHmac("sha256", secret).update(payload, "utf8").digest("hex");

export function signSandboxPayload(secret: string, body: string, now: Date): string {
  const t = unixSeconds(now);
  return `t=${t},v1=${hmac(secret, `${t}.${body}`)}`;
}

const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.looseObject({ id: z.string(), object: z.string() }) }),
});
type Envelope = z.infer<typeof envelopeSchema>;

/** Constant-time comparison of two hex digests (a length mismatch reveals nothing secret). */
function sameDigest(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Check the signature over the exact bytes received, then parse them. 400 when missing, wrong, stale or malformed. */
export function verifySandboxWebhook(secret: string, request: WebhookRequest): VerifiedWebhook {
  const header = request.headers.get(SANDBOX_SIGNATURE_HEADER);
  if (!header) throw new WebhookRejected(`Missing ${SANDBOX_SIGNATURE_HEADER} header.`, 400);
  const parts = header.split(",").map((part) => part.trim().split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v!);
  if (!t || !/^\d+$/.test(t) || signatures.length === 0) throw new WebhookRejected(`Malformed ${SANDBOX_SIGNATURE_HEADER} header.`, 400);
  const expected = hmac(secret, `${t}.${request.rawBody}`);
  if (!signatures.some((s) => sameDigest(s, expected))) throw new WebhookRejected("The sandbox webhook signature does not match.", 400);
  // A replayed old request is refused even with a valid signature.
  if (Math.abs(unixSeconds(request.now) - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new WebhookRejected(`The sandbox webhook timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now.`, 400);
  }
  let payload: unknown;
  let parsed: Envelope;
  try {
    payload = JSON.parse(request.rawBody);
    parsed = envelopeSchema.parse(payload);
  } catch {
    throw new WebhookRejected("The sandbox webhook body is not an event.", 400);
  }
  // The payload is the body as sent (the schema only checks it), so the inbox stores every field.
  return { providerEventId: parsed.id, type: parsed.type, occurredAt: new Date(parsed.created * 1000), payload };
}

/** The event as a receiver sees it: Stripe's envelope, without the sandbox's delivery bookkeeping. */
export const envelopeOf = (e: SandboxEvent) => ({ id: e.id, object: "event", type: e.type, created: e.created, livemode: false, data: e.data });

const asWebhook = (e: SandboxEvent): VerifiedWebhook => ({ providerEventId: e.id, type: e.type, occurredAt: new Date(e.created * 1000), payload: envelopeOf(e) });

export type SandboxDelivery = { body: string; headers: Headers };

/**
 * Deliver undelivered events oldest first, each signed at the moment it is sent, marking an
 * event delivered only after deliver() resolved: a failure (or a crash) leaves it and the
 * later ones for the next run, which sends it again — the inbox dedupes by event id. Events
 * emitted while delivering wait for the next run, so a run always ends. Throws deliver()'s error.
 */
export async function deliverSandboxEvents(ctx: ProviderContext, deliver: (delivery: SandboxDelivery) => Promise<void>): Promise<number> {
  if (ctx.credentials.provider !== "sandbox") throw new Error("deliverSandboxEvents needs a sandbox connection.");
  const secret = ctx.credentials.webhookSecret;
  const read: SandboxScope = { db: ctx.db, connectionId: ctx.connectionId, now: ctx.clock.now() };
  const [last] = await listObjects(read, "event", { descending: true, limit: 1 });
  if (!last) return 0;
  let delivered = 0;
  for (;;) {
    const batch = await listObjects(read, "event", { where: { delivered: false }, limit: 100, extra: sql`${numericField("seq")} <= ${last.seq}` });
    if (batch.length === 0) return delivered;
    for (const event of batch) {
      const now = ctx.clock.now();
      const body = JSON.stringify(envelopeOf(event));
      const headers = new Headers({ "content-type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(secret, body, now) });
      await deliver({ body, headers });
      await putObject({ ...read, now }, { ...event, delivered: true, delivered_at: unixSeconds(now) });
      delivered++;
    }
  }
}

/** Reconciliation: the events not delivered yet (created since `since`), in order; the cursor is the last event's sequence number. */
export async function listUndeliveredEvents(scope: SandboxScope, input: { since: Date; cursor: string | null }, limit = 100): Promise<Page<VerifiedWebhook>> {
  const after = input.cursor ? Number(input.cursor) : 0;
  const events = await listObjects(scope, "event", {
    where: { delivered: false },
    limit,
    extra: and(sql`${numericField("seq")} > ${after}`, sql`${numericField("created")} >= ${unixSeconds(input.since)}`),
  });
  const last = events.at(-1);
  return { items: events.map(asWebhook), next: events.length === limit && last ? String(last.seq) : null };
}

/**
 * Dunwell's events for a sandbox event, built from the objects as they are NOW (the
 * snapshot only says which objects), so processing in any order, or twice, converges.
 * Payment events read the attempt the event was about (the invoice's charge at the time).
 * An event whose facts another event carries (charge.* for invoice payments) is not ours: null.
 */
export async function normalizeSandboxEvent(scope: SandboxScope, event: VerifiedWebhook): Promise<NormalizedEvent[] | null> {
  const envelope = envelopeSchema.parse(event.payload);
  const subject = envelope.data.object;
  const occurredAt = event.occurredAt;
  const one = (type: BillingEventType, objects: Omit<NormalizedEvent, "type" | "occurredAt">): NormalizedEvent[] => [{ type, occurredAt, ...objects }];

  const customer = async () => ({ customer: toCustomer(await getObject(scope, "customer", subject.id)) });
  const subscription = async () => ({ subscription: toSubscription(await getObject(scope, "subscription", subject.id)) });
  const invoice = async () => ({ invoice: toInvoice(await getObject(scope, "invoice", subject.id)) });
  const paymentMethod = async () => {
    const pm = await getObject(scope, "payment_method", subject.id);
    return { paymentMethod: toPaymentMethod(pm, await getObject(scope, "customer", pm.customer)) };
  };
  const invoicePayment = async () => {
    const chargeId = typeof subject.charge === "string" ? subject.charge : null;
    return { ...(await invoice()), ...(chargeId ? { attempt: toAttempt(await getObject(scope, "charge", chargeId)) } : {}) };
  };
  /** A charge outside an invoice payment (an installment); invoice payments are told by invoice.* events. */
  const loosePayment = async (chargeId: string) => {
    const charge = await getObject(scope, "charge", chargeId);
    if (charge.purpose === "invoice") return null;
    return { attempt: toAttempt(charge), ...(charge.invoice ? { invoice: toInvoice(await getObject(scope, "invoice", charge.invoice)) } : {}) };
  };
  const orNull = async (type: BillingEventType, objects: Promise<Omit<NormalizedEvent, "type" | "occurredAt"> | null>) => {
    const found = await objects;
    return found ? one(type, found) : null;
  };

  switch (envelope.type) {
    case "customer.created":
    case "customer.updated":
      return one("customer.updated", await customer());
    case "customer.subscription.created":
    case "customer.subscription.updated":
      return one("subscription.updated", await subscription());
    case "customer.subscription.deleted":
      return one("subscription.canceled", await subscription());
    case "customer.subscription.paused":
      return one("subscription.paused", await subscription());
    case "invoice.finalized":
    case "invoice.updated":
      return one("invoice.updated", await invoice());
    case "invoice.paid":
      return one("invoice.paid", await invoice());
    case "invoice.voided":
      return one("invoice.voided", await invoice());
    case "invoice.marked_uncollectible":
      return one("invoice.uncollectible", await invoice());
    case "invoice.payment_succeeded":
      return one("payment.succeeded", await invoicePayment());
    case "invoice.payment_failed":
      return one("payment.failed", await invoicePayment());
    case "invoice.payment_action_required":
      return one("payment.action_required", await invoicePayment());
    case "charge.succeeded":
      return orNull("payment.succeeded", loosePayment(subject.id));
    case "charge.failed":
      return orNull("payment.failed", loosePayment(subject.id));
    case "payment_intent.requires_action":
      return orNull("payment.action_required", loosePayment(String(subject.latest_charge)));
    case "payment_method.attached":
    case "payment_method.updated":
    case "payment_method.detached":
      return one(envelope.type, await paymentMethod());
    default:
      return null;
  }
}
