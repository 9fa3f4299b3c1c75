/**
 * npm run bench:webhooks — the signed Stripe webhook route against a no-op route of the same
 * server, in one run (this machine is noisy: only the ratio is meaningful), then the same at
 * a fixed 500 req/s, then a check that every acknowledged event is in the inbox.
 *
 * Starts the app as `npm start` does (embedded PGlite, or DATABASE_URL when set) on a free
 * port with a fresh data dir, a Stripe connection pointed at a local fake Stripe API.
 * Needs a build (`npm run build`).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { inArray, sql } from "drizzle-orm";
import Stripe from "stripe";
import { webhookEvents } from "@/drizzle/schema";
import { addConnection } from "@/lib/billing/connections";
import { closeDb, getDb } from "@/lib/db/client";
import { createWorkspace } from "@/lib/workspaces";
import { startFakeStripe } from "../tests/fakes/stripe-api";

const PORT = Number(process.env.BENCH_PORT ?? 3456);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SECRET = "whsec_bench_secret_0123456789";

if (!existsSync(path.join(".next", "BUILD_ID"))) {
  console.error("bench:webhooks needs a build: run `npm run build` first.");
  process.exit(1);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "dunwell-bench-"));
process.env.DUNWELL_DATA_DIR = dataDir;
process.env.PORT = String(PORT);
process.env.APP_URL = `http://localhost:${PORT}`;

const server = spawn(process.execPath, ["bin/start.mjs"], { env: { ...process.env, LOG_LEVEL: "error" }, stdio: ["ignore", "pipe", "inherit"], detached: true });
await new Promise<void>((resolve, reject) => {
  let out = "";
  server.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("Press Ctrl+C")) resolve();
  });
  server.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
});

const stripeApi = await startFakeStripe();
const db = await getDb();
const workspace = await createWorkspace(db, { name: "Bench" }, { kind: "system" });
const connection = await addConnection(
  db,
  { provider: "stripe", workspaceId: workspace.id, secretKey: "sk_test_bench", webhookSecrets: [SECRET], apiBase: stripeApi.url },
  { kind: "system" },
);
const stripe = new Stripe("sk_test_bench");
const webhookPath = `/api/webhooks/stripe/${connection.id}`;

let sequence = 0;
const acknowledged: string[] = [];
/** A fresh, signed invoice.payment_failed event for each request (no duplicates). */
function nextSignedEvent(): { body: string; signature: string; id: string } {
  const id = `evt_bench_${++sequence}`;
  const body = JSON.stringify({
    id,
    object: "event",
    type: "invoice.payment_failed",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: "2025-10-29.clover",
    data: { object: { id: `in_bench_${sequence}`, object: "invoice", customer: "cus_bench", status: "open", amount_due: 4900, currency: "eur" } },
  });
  return { body, id, signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }) };
}

type Result = { rps: number; p50: number; p99: number; non2xx: number; errors: number; sent: number };
async function run(route: "webhook" | "noop", rate?: number): Promise<Result> {
  let sent = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: rate ? 50 : 20,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: "POST",
        path: route === "webhook" ? webhookPath : "/api/noop",
        // One request at a time per connection: the connection's context holds its event id.
        setupRequest: (request, context) => {
          const event = nextSignedEvent();
          (context as { eventId?: string }).eventId = event.id;
          sent++;
          return { ...request, body: event.body, headers: { "content-type": "application/json", "stripe-signature": event.signature } };
        },
        onResponse: (status, _body, context) => {
          if (route === "webhook" && status === 200) acknowledged.push((context as { eventId: string }).eventId);
        },
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, sent };
}

const fmt = (r: Result) => `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
try {
  await run("noop"); // warm-up
  const noop = await run("noop");
  acknowledged.length = 0;
  const webhook = await run("webhook");
  console.log(`\nmax throughput, ${SECONDS} s each`);
  console.log(`  no-op route      ${fmt(noop)}`);
  console.log(`  webhook route    ${fmt(webhook)}`);
  console.log(`  ratio webhook/no-op: ${(webhook.rps / noop.rps).toFixed(2)} (target ≥ 0.75)`);
  const fixed = await run("webhook", 500);
  console.log(`\nfixed 500 req/s, ${SECONDS} s`);
  console.log(`  webhook route    ${fmt(fixed)}   (target p99 ≤ 50 ms)`);

  // Every request that got a 2xx must be in the inbox.
  let stored = 0;
  for (let i = 0; i < acknowledged.length; i += 1000) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookEvents)
      .where(inArray(webhookEvents.providerEventId, acknowledged.slice(i, i + 1000)));
    stored += row!.n;
  }
  const sent = webhook.sent + fixed.sent;
  console.log(`\nsent ${sent}; acknowledged ${acknowledged.length}; of those in the inbox: ${stored}; lost: ${acknowledged.length - stored}`);
  if (acknowledged.length !== stored) process.exitCode = 1;
} finally {
  await closeDb();
  await stripeApi.close();
  try {
    process.kill(-server.pid!, "SIGTERM");
  } catch {}
}
