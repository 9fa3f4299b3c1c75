import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import customer from "@/tests/fixtures/chargebee/customer.json";
import invoice from "@/tests/fixtures/chargebee/invoice.json";
import paymentSource from "@/tests/fixtures/chargebee/payment-source.json";
import subscription from "@/tests/fixtures/chargebee/subscription.json";
import failedTransaction from "@/tests/fixtures/chargebee/transaction-failed.json";

/**
 * A local HTTP server that answers like Chargebee's API v2 for the endpoints the adapter
 * uses, so the official SDK's own request, encoding and error code runs in tests: resources
 * wrapped by name, lists as {list, next_offset}, form-encoded bodies, Chargebee's error body,
 * 429 with Retry-After, and replay of a repeated chargebee-idempotency-key.
 */

// Loose on purpose: the fake mutates Chargebee-shaped JSON freely.
type Json = Record<string, any>;
type Reply = { status: number; body: Json; headers?: Record<string, string> };
export type RecordedRequest = { method: string; path: string; query: Record<string, string>; body: Record<string, string>; idempotencyKey: string | null };
export type Decline = { error_code: string; error_text: string; error_detail?: Json };
export type FakeChargebeeState = {
  customers: Map<string, Json>;
  subscriptions: Map<string, Json>;
  invoices: Map<string, Json>;
  paymentSources: Map<string, Json>;
  transactions: Map<string, Json>;
  events: Json[];
  /** Every collection that reached the "gateway" (declined ones included). */
  collections: Json[];
  /** The next collection is declined with these codes, then cleared. */
  declineNext: Decline | null;
};
export type FakeChargebee = {
  url: string;
  port: number;
  apiKey: string;
  site: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  state: FakeChargebeeState;
  failNext(status: 429 | 500 | 404, opts?: { retryAfterSeconds?: number; path?: string }): void;
};

const clone = <T>(value: T): T => structuredClone(value);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}${randomBytes(8).toString("base64url")}`;
/** A new resource_version: Chargebee's change time in ms, always increasing. */
const touch = (resource: Json) => Object.assign(resource, { updated_at: nowSeconds(), resource_version: Math.max(Date.now(), (resource.resource_version ?? 0) + 1) });

function apiError(status: number, code: string, message: string, type = "invalid_request"): Reply {
  return { status, body: { message, type, api_error_code: code, error_code: code, error_msg: message, http_status_code: status } };
}
const notFound = (what: string) => apiError(404, "resource_not_found", `Sorry, we couldn't find that resource (${what}).`);
const failures: Record<429 | 500 | 404, () => Reply> = {
  429: () => apiError(429, "api_request_limit_exceeded", "Sorry, access has been blocked temporarily due to request count exceeding acceptable limits.", "operation_failed"),
  500: () => apiError(500, "internal_error", "Sorry, something went wrong when trying to process the request.", "operation_failed"),
  404: () => notFound("resource"),
};

/** Chargebee's opaque offsets look like ["<sort value>","<id>"]; the fake keeps the index in them. */
function page(entries: Json[], key: string, query: Record<string, string>): Reply {
  const limit = Number(query.limit ?? 10);
  const start = query.offset ? Number((JSON.parse(query.offset) as string[])[1]) : 0;
  const slice = entries.slice(start, start + limit);
  const more = start + limit < entries.length;
  return { status: 200, body: { list: slice.map((entry) => ({ [key]: entry })), ...(more ? { next_offset: JSON.stringify([String(Date.now()), String(start + limit)]) } : {}) } };
}

export async function startFakeChargebee(options: { apiKey?: string; site?: string } = {}): Promise<FakeChargebee> {
  const apiKey = options.apiKey ?? "test_cbkey_7d3f0a9c";
  const site = options.site ?? "dunwell-demo-test";
  const state: FakeChargebeeState = {
    customers: new Map([[customer.id, clone(customer)]]),
    subscriptions: new Map([[subscription.id, clone(subscription)]]),
    invoices: new Map([[invoice.id, clone(invoice)]]),
    paymentSources: new Map([[paymentSource.id, clone(paymentSource)]]),
    transactions: new Map([[failedTransaction.id, clone(failedTransaction)]]),
    events: [],
    collections: [],
    declineNext: null,
  };
  const requests: RecordedRequest[] = [];
  const pendingFailures: { status: 429 | 500 | 404; retryAfterSeconds?: number; path?: string }[] = [];
  const replays = new Map<string, Reply>();

  function applyPayment(inv: Json, txn: Json) {
    inv.amount_paid += txn.amount;
    inv.amount_due -= txn.amount;
    inv.amount_to_collect = inv.amount_due;
    inv.linked_payments = [...(inv.linked_payments ?? []), { txn_id: txn.id, applied_amount: txn.amount, applied_at: txn.date, txn_status: txn.status, txn_date: txn.date, txn_amount: txn.amount }];
    if (inv.amount_due === 0) Object.assign(inv, { status: "paid", paid_at: txn.date, dunning_status: inv.dunning_status ? "success" : undefined, next_retry_at: undefined });
    touch(inv);
  }

  /** One charge at the "gateway": declined when a decline is queued, else it succeeds. */
  function charge(customerId: string, sourceId: string, amount: number, currencyCode: string, invoiceId: string | null): Json {
    const decline = state.declineNext;
    state.declineNext = null;
    const txn: Json = touch({
      id: newId("txn_"), customer_id: customerId, payment_source_id: sourceId, payment_method: "card", gateway: "stripe", type: "payment",
      date: nowSeconds(), amount, currency_code: currencyCode, status: decline ? "failure" : "success", initiator_type: "merchant", deleted: false, object: "transaction",
      ...(decline ?? {}), linked_invoices: invoiceId ? [{ invoice_id: invoiceId, applied_amount: amount, applied_at: nowSeconds() }] : [],
    });
    state.transactions.set(txn.id, txn);
    state.collections.push(txn);
    return txn;
  }

  const declined = (txn: Json) =>
    apiError(402, "payment_processing_failed", `We are not able to collect the payment from your card on file. Error message: (${txn.error_code}) ${txn.error_text}`, "payment");

  function collectInvoice(id: string, body: Record<string, string>): Reply {
    const inv = state.invoices.get(id);
    if (!inv) return notFound(`invoice ${id}`);
    if (!["payment_due", "not_paid", "posted"].includes(inv.status)) return apiError(400, "invalid_state_for_request", `The invoice is ${inv.status}; there is nothing to collect.`);
    const amount = body.amount ? Number(body.amount) : inv.amount_due;
    if (amount < 1 || amount > inv.amount_due) return apiError(400, "param_wrong_value", "amount : cannot be more than the amount to collect.");
    const sourceId = body.payment_source_id ?? state.customers.get(inv.customer_id)?.primary_payment_source_id;
    if (!sourceId || !state.paymentSources.has(sourceId)) return apiError(400, "payment_method_not_present", "The customer has no payment method on file.", "payment");
    const txn = charge(inv.customer_id, sourceId, amount, inv.currency_code, inv.id);
    if (txn.status === "failure") {
      inv.linked_payments = [...(inv.linked_payments ?? []), { txn_id: txn.id, applied_amount: amount, applied_at: txn.date, txn_status: "failure", txn_date: txn.date, txn_amount: amount }];
      touch(inv);
      return declined(txn);
    }
    applyPayment(inv, txn);
    return { status: 200, body: { invoice: inv, transaction: txn } };
  }

  function collectCustomer(id: string, body: Record<string, string>): Reply {
    const cus = state.customers.get(id);
    if (!cus) return notFound(`customer ${id}`);
    const sourceId = body.payment_source_id ?? cus.primary_payment_source_id;
    if (!sourceId) return apiError(400, "payment_method_not_present", "The customer has no payment method on file.", "payment");
    const txn = charge(id, sourceId, Number(body.amount), cus.preferred_currency_code ?? "USD", null);
    return txn.status === "failure" ? declined(txn) : { status: 200, body: { customer: cus, transaction: txn } };
  }

  function recordPayment(id: string, body: Record<string, string>): Reply {
    const inv = state.invoices.get(id);
    if (!inv) return notFound(`invoice ${id}`);
    const amount = body["transaction[amount]"] ? Number(body["transaction[amount]"]) : inv.amount_due;
    const txn = touch({ id: newId("txn_"), customer_id: inv.customer_id, payment_method: body["transaction[payment_method]"], gateway: "not_applicable", type: "payment", date: nowSeconds(), amount, currency_code: inv.currency_code, status: "success", deleted: false, object: "transaction" });
    state.transactions.set(txn.id, txn);
    applyPayment(inv, txn);
    return { status: 200, body: { invoice: inv, transaction: txn } };
  }

  function writeOff(id: string): Reply {
    const inv = state.invoices.get(id);
    if (!inv) return notFound(`invoice ${id}`);
    const creditNote = { id: newId("CN-"), type: "adjustment", create_reason_code: "Write Off", total: inv.amount_due, reference_invoice_id: id, status: "adjusted", object: "credit_note" };
    Object.assign(inv, { write_off_amount: inv.amount_due, amount_due: 0, amount_to_collect: 0, status: "paid", paid_at: nowSeconds(), next_retry_at: undefined });
    return { status: 200, body: { invoice: touch(inv), credit_note: creditNote } };
  }

  function changeSubscription(id: string, change: (sub: Json) => void): Reply {
    const sub = state.subscriptions.get(id);
    if (!sub) return notFound(`subscription ${id}`);
    change(sub);
    return { status: 200, body: { subscription: touch(sub), customer: state.customers.get(sub.customer_id) } };
  }

  function hostedPage(type: string, body: Record<string, string>): Reply {
    const customerId = body["customer[id]"];
    if (!customerId || !state.customers.has(customerId)) return notFound(`customer ${customerId}`);
    const id = newId("");
    const created = nowSeconds();
    const page = { id, type, url: `https://${site}.chargebee.com/pages/v3/${id}/`, state: "created", embed: false, created_at: created, expires_at: created + 3600, object: "hosted_page" };
    return { status: 200, body: { hosted_page: touch(page) } };
  }

  const list = (map: Map<string, Json>) => [...map.values()];
  type Route = [method: string, pattern: RegExp, handle: (m: string[], q: Record<string, string>, b: Record<string, string>) => Reply];
  const get = (map: Map<string, Json>, key: string) => (m: string[]) => (map.has(m[1]!) ? { status: 200, body: { [key]: map.get(m[1]!)! } } : notFound(`${key} ${m[1]}`));
  const routes: Route[] = [
    ["GET", /^\/customers$/, (_, q) => page(list(state.customers), "customer", q)],
    ["GET", /^\/customers\/([^/]+)$/, get(state.customers, "customer")],
    ["POST", /^\/customers\/([^/]+)\/collect_payment$/, (m, _, b) => collectCustomer(m[1]!, b)],
    ["GET", /^\/subscriptions$/, (_, q) => page(list(state.subscriptions), "subscription", q)],
    ["GET", /^\/subscriptions\/([^/]+)$/, get(state.subscriptions, "subscription")],
    ["POST", /^\/subscriptions\/([^/]+)\/cancel_for_items$/, (m, _, b) =>
      changeSubscription(m[1]!, (s) => Object.assign(s, b.end_of_term === "true" ? { status: "non_renewing", cancelled_at: s.current_term_end } : { status: "cancelled", cancelled_at: nowSeconds() }))],
    ["POST", /^\/subscriptions\/([^/]+)\/pause$/, (m) => changeSubscription(m[1]!, (s) => Object.assign(s, { status: "paused", pause_date: nowSeconds() }))],
    ["GET", /^\/invoices$/, (_, q) => {
      const statuses = q["status[in]"] ? (JSON.parse(q["status[in]"]) as string[]) : null;
      return page(list(state.invoices).filter((i) => !statuses || statuses.includes(i.status)), "invoice", q);
    }],
    ["GET", /^\/invoices\/([^/]+)$/, get(state.invoices, "invoice")],
    ["GET", /^\/invoices\/([^/]+)\/payments$/, (m, q) =>
      page(list(state.transactions).filter((t) => t.linked_invoices?.some((l: Json) => l.invoice_id === m[1])).sort((a, b) => b.date - a.date || b.resource_version - a.resource_version), "transaction", q)],
    ["POST", /^\/invoices\/([^/]+)\/collect_payment$/, (m, _, b) => collectInvoice(m[1]!, b)],
    ["POST", /^\/invoices\/([^/]+)\/record_payment$/, (m, _, b) => recordPayment(m[1]!, b)],
    ["POST", /^\/invoices\/([^/]+)\/write_off$/, (m) => writeOff(m[1]!)],
    ["GET", /^\/payment_sources$/, (_, q) => page(list(state.paymentSources).filter((p) => !q["customer_id[is]"] || p.customer_id === q["customer_id[is]"]), "payment_source", q)],
    ["GET", /^\/payment_sources\/([^/]+)$/, get(state.paymentSources, "payment_source")],
    ["GET", /^\/transactions$/, (_, q) =>
      page(list(state.transactions).filter((t) => !q["customer_id[is]"] || t.customer_id === q["customer_id[is]"]).sort((a, b) => b.date - a.date || b.resource_version - a.resource_version), "transaction", q)],
    ["GET", /^\/transactions\/([^/]+)$/, get(state.transactions, "transaction")],
    ["GET", /^\/events$/, (_, q) => {
      const after = q["occurred_at[after]"] ? Number(q["occurred_at[after]"]) : -Infinity;
      const events = state.events.filter((e) => e.occurred_at > after).sort((a, b) => a.occurred_at - b.occurred_at);
      return page(q["sort_by[asc]"] === "occurred_at" ? events : events.reverse(), "event", q);
    }],
    ["POST", /^\/hosted_pages\/manage_payment_sources$/, (_, __, b) => hostedPage("manage_payment_sources", b)],
    ["POST", /^\/hosted_pages\/collect_now$/, (_, __, b) => hostedPage("collect_now", b)],
  ];

  function answer(method: string, path: string, query: Record<string, string>, body: Record<string, string>, auth: string | undefined, key: string | null): Reply {
    if (auth !== `Basic ${Buffer.from(`${apiKey}:`).toString("base64")}`) return apiError(401, "api_authentication_failed", "Sorry, authentication failed. Invalid api key.", "invalid_request");
    const failure = pendingFailures.findIndex((f) => !f.path || path.includes(f.path));
    if (failure >= 0) {
      const [f] = pendingFailures.splice(failure, 1);
      const reply = failures[f!.status]();
      return f!.status === 429 ? { ...reply, headers: { "Retry-After": String(f!.retryAfterSeconds ?? 2) } } : reply;
    }
    const replayKey = method === "POST" && key ? `${path}\n${key}` : null;
    const replayed = replayKey ? replays.get(replayKey) : undefined;
    if (replayed) return { ...replayed, headers: { ...replayed.headers, "chargebee-idempotency-replayed": "true" } };
    const route = routes.find(([m, pattern]) => m === method && pattern.test(path));
    const match = route ? path.match(route[1]) : null;
    const reply = route && match ? route[2]([...match], query, body) : apiError(404, "resource_not_found", `No such endpoint ${method} ${path}.`);
    // A completed request is remembered with its answer (a decline included); throttled or failed ones are not.
    if (replayKey && reply.status < 500 && reply.status !== 429) replays.set(replayKey, clone(reply));
    return reply;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname.replace(/^\/api\/v2/, "");
      const query = Object.fromEntries(url.searchParams);
      const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      const key = (req.headers["chargebee-idempotency-key"] as string | undefined) ?? null;
      requests.push({ method: req.method ?? "GET", path, query, body, idempotencyKey: key });
      const reply = answer(req.method ?? "GET", path, query, body, req.headers.authorization, key);
      res.writeHead(reply.status, { "Content-Type": "application/json;charset=utf-8", ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey,
    site,
    requests,
    state,
    failNext: (status, opts = {}) => void pendingFailures.push({ status, ...opts }),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
