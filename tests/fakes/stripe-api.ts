import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderContext, StripeCredentials } from "@/lib/billing/types";
import { systemClock, type Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { StripeHttpError, stripeRoutes } from "./stripe-routes";
import { FakeStripeState, type Json } from "./stripe-state";

export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, Json>;
  body: Record<string, Json>;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  replayed: boolean;
};

type Failure = { status: 429 | 500; retryAfterSeconds?: number; path?: RegExp; times: number };

/** Stripe's form encoding (a[b][0]=c) back into objects and arrays. */
export function parseForm(encoded: string): Record<string, Json> {
  const root: Record<string, Json> = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const parts = key.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node: Json = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = node[part] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
    });
  }
  return root;
}

export type FakeStripe = {
  url: string;
  port: number;
  state: FakeStripeState;
  requests: RecordedRequest[];
  /** The next matching request(s) fail before Stripe does anything (no idempotent result is stored). */
  failNext(status: 429 | 500, opts?: { retryAfterSeconds?: number; path?: RegExp; times?: number }): void;
  close(): Promise<void>;
};

/**
 * A local HTTP server that answers the endpoints the Stripe adapter uses as Stripe's API
 * does: object shapes from the recorded fixtures, Stripe's error bodies and status codes,
 * and Stripe's idempotency (the same key and body replay the first answer; another body is
 * an idempotency_error).
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const state = new FakeStripeState();
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const remembered = new Map<string, { fingerprint: string; status: number; body: string }>();
  const routes = stripeRoutes(state);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake.stripe");
    const raw = await readBody(req);
    const query = parseForm(url.search.slice(1));
    const body = parseForm(raw);
    const idempotencyKey = header(req, "idempotency-key");
    const recorded: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query, body, idempotencyKey, stripeVersion: header(req, "stripe-version"), replayed: false };
    requests.push(recorded);
    const send = (status: number, json: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(7).toString("hex")}`, ...extra });
      res.end(json);
    };

    if (!/^Bearer (sk|rk)_(test|live)_\w+/.test(header(req, "authorization") ?? "")) {
      return send(401, JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided." } }));
    }
    const failure = failures.find((f) => !f.path || f.path.test(url.pathname));
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      const error =
        failure.status === 429
          ? { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests." }
          : { type: "api_error", message: "An unknown error occurred" };
      const extra: Record<string, string> = failure.retryAfterSeconds !== undefined ? { "retry-after": String(failure.retryAfterSeconds) } : {};
      return send(failure.status, JSON.stringify({ error }), extra);
    }
    const fingerprint = `${req.method} ${url.pathname}?${url.search} ${raw}`;
    const earlier = idempotencyKey ? remembered.get(idempotencyKey) : undefined;
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`;
        return send(400, JSON.stringify({ error: { type: "idempotency_error", message } }));
      }
      recorded.replayed = true;
      return send(earlier.status, earlier.body, { "idempotent-replayed": "true", "original-request": "req_original" });
    }

    let status = 200;
    let json: string;
    try {
      const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) throw new StripeHttpError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` });
      const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
      json = JSON.stringify(route.handle(params, req.method === "GET" || req.method === "DELETE" ? { ...query, ...body } : body));
    } catch (error) {
      if (!(error instanceof StripeHttpError)) throw error;
      status = error.status;
      json = JSON.stringify({ error: error.error });
    }
    // Stripe saves the first result of a key, errors included, for 24 hours.
    if (idempotencyKey) remembered.set(idempotencyKey, { fingerprint, status, body: json });
    send(status, json);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    requests,
    failNext: (status, opts = {}) => failures.push({ status, times: opts.times ?? 1, retryAfterSeconds: opts.retryAfterSeconds, path: opts.path }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export const TEST_SECRET_KEY = "sk_test_dunwell_fake_0000000000";
export const TEST_WEBHOOK_SECRET = "whsec_dunwell_test_primary";
export const TEST_PUBLISHABLE_KEY = "pk_test_dunwell_fake_0000000000";

/** A ProviderContext for a Stripe connection pointed at the fake. The adapter never uses the database. */
export function stripeContextFor(
  fake: Pick<FakeStripe, "url"> | null,
  o: { connectionId?: string; clock?: Clock; credentials?: Partial<StripeCredentials>; settings?: Record<string, string> } = {},
): ProviderContext {
  return {
    connectionId: o.connectionId ?? `conn_${randomBytes(4).toString("hex")}`,
    workspaceId: "ws_test",
    apiBase: fake?.url ?? null,
    settings: o.settings ?? {},
    credentials: { provider: "stripe", secretKey: TEST_SECRET_KEY, webhookSecrets: [TEST_WEBHOOK_SECRET], publishableKey: TEST_PUBLISHABLE_KEY, ...o.credentials },
    db: undefined as unknown as Db,
    clock: o.clock ?? systemClock,
  };
}
