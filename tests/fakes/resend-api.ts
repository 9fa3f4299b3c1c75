import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type ResendRequest = { method: string; path: string; idempotencyKey: string | null; body: Record<string, unknown> };

/** Resend's own error bodies for the statuses the tests provoke. */
const errorBodies: Record<number, { name: string; message: string }> = {
  429: { name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
  503: { name: "internal_server_error", message: "Service unavailable." },
  422: { name: "validation_error", message: "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format." },
};

export type FakeResend = {
  url: string;
  requests: ResendRequest[];
  /** The next `times` POST /emails answer `status` with Resend's error body (nothing is sent). */
  failNext(status: 429 | 500 | 503 | 422, times?: number): void;
  /** Emails Resend actually accepted, one per idempotency key. */
  sent: Map<string, { id: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
};

/**
 * A local HTTP server answering POST /emails as Resend does: `{ id }` on success, Resend's
 * error shape ({statusCode, name, message}) on failure, and idempotency (the same key replays
 * the first answer; the same key with another body is a 409 invalid_idempotent_request).
 */
export async function startFakeResend(): Promise<FakeResend> {
  const requests: ResendRequest[] = [];
  const failures: number[] = [];
  const sent = new Map<string, { id: string; body: Record<string, unknown> }>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    requests.push({ method: req.method ?? "", path: req.url ?? "", idempotencyKey: key, body });
    const answer = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== "POST" || req.url !== "/emails") return answer(404, { statusCode: 404, name: "not_found", message: "Not found" });
    const failure = failures.shift();
    if (failure) return answer(failure, { statusCode: failure, ...errorBodies[failure]! });
    if (key && sent.has(key)) {
      const first = sent.get(key)!;
      if (JSON.stringify(first.body) !== JSON.stringify(body)) {
        return answer(409, { statusCode: 409, name: "invalid_idempotent_request", message: "Same idempotency key used with a different request payload." });
      }
      return answer(200, { id: first.id });
    }
    const id = randomUUID();
    sent.set(key ?? id, { id, body });
    answer(200, { id });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    failNext: (status, times = 1) => failures.push(...Array.from({ length: times }, () => status)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
