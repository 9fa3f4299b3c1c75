/**
 * npm run bench:portal — the portal overview's first-load JavaScript, gzip, against the
 * portal's own not-found page (the framework and layout floor) measured in the same run.
 * Budget (issue 6): the overview ≤ 120 kB gzip, Stripe.js excluded.
 *
 * Starts the built app as `npm start` does (embedded PGlite, fresh data dir with the demo
 * seed) on a free port, opens the overview through a real portal link (link → session
 * cookie → /portal), and counts every same-origin script the HTML loads: `<script src>` and
 * `<link rel=modulepreload|preload as=script>`. Each file is gzipped on its own with zlib at
 * level 9 (kB = 1000 bytes). Cross-origin scripts (js.stripe.com) are listed, not counted.
 * Chromium then loads the same page and reports any further script it fetched (lazy chunks).
 * Needs a build (`npm run build`).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { and, asc, eq } from "drizzle-orm";
import { chromium } from "playwright-core";
import { dunningCases, workspaces } from "@/drizzle/schema";
import { closeDb, getDb } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { portalLinkFor } from "@/lib/portal/links";

const BUDGET_KB = 120;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!existsSync(path.join(".next", "BUILD_ID"))) {
  console.error("bench:portal needs a build: run `npm run build` first.");
  process.exit(1);
}

const port = await freePort();
const origin = `http://localhost:${port}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "dunwell-bench-portal-"));
// The embedded mode, whatever the shell has: the bench seeds its own demo workspace.
delete process.env.DATABASE_URL;
delete process.env.DUNWELL_MODE;
process.env.DUNWELL_DATA_DIR = dataDir;
process.env.PORT = String(port);
process.env.APP_URL = origin;

const server = spawn(process.execPath, ["bin/start.mjs"], { env: { ...process.env, LOG_LEVEL: "error" }, stdio: ["ignore", "pipe", "inherit"], detached: true });
const stopServer = () => {
  try {
    process.kill(-server.pid!, "SIGTERM"); // the launcher's process group: launcher and next server
  } catch {}
};
process.on("SIGINT", () => {
  stopServer();
  process.exit(130);
});

type Script = { url: string; raw: number; gzip: number };
type Measure = { page: string; status: number; scripts: Script[]; external: string[]; nomodule: Script[]; inlineGzip: number };

try {
  await new Promise<void>((resolve, reject) => {
    let out = "";
    server.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Press Ctrl+C")) resolve();
    });
    server.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });

  const cookie = await portalSession(await overviewLink());
  const overview = await measure("/portal", cookie);
  const floor = await measure("/portal/link-not-found");
  const signIn = await measure("/signin");
  if (!overview.scripts.length || overview.status !== 200) throw new Error(`the overview answered ${overview.status} with ${overview.scripts.length} scripts: is the portal link valid?`);
  const lazy = await browserExtras("/portal", cookie, overview);

  const kb = (bytes: number) => (bytes / 1000).toFixed(1).padStart(6);
  const total = (m: Measure) => m.scripts.reduce((sum, s) => sum + s.gzip, 0);
  const rawTotal = (m: Measure) => m.scripts.reduce((sum, s) => sum + s.raw, 0);
  const floorUrls = new Set(floor.scripts.map((s) => s.url));

  console.log(`\nfirst-load JavaScript of the portal overview (${origin}, gzip level 9, kB = 1000 bytes)`);
  console.log(`  ${"gzip kB".padStart(7)} ${"raw kB".padStart(7)}  chunk   (* = also on the baseline page)`);
  for (const s of [...overview.scripts].sort((a, b) => b.gzip - a.gzip)) {
    console.log(`  ${kb(s.gzip)}  ${kb(s.raw)}  ${floorUrls.has(s.url) ? "*" : " "} ${new URL(s.url).pathname}`);
  }
  for (const url of overview.external) console.log(`  excluded (cross-origin): ${url}`);
  for (const s of overview.nomodule) console.log(`  excluded (nomodule polyfills, which modern browsers do not fetch): ${new URL(s.url).pathname} ${kb(s.gzip).trim()} kB gzip`);
  console.log(`  inline scripts (RSC payload, bootstrap), not counted: ${kb(overview.inlineGzip).trim()} kB gzip`);
  console.log(`  Chromium fetched beyond the counted files: ${lazy.extra.map((u) => new URL(u).pathname).join(", ") || "none"}; counted but not fetched: ${lazy.missing.map((u) => new URL(u).pathname).join(", ") || "none"}`);

  const o = total(overview);
  const b = total(floor);
  console.log(`\n  overview /portal               ${kb(o)} kB gzip  (${kb(rawTotal(overview)).trim()} kB raw, ${overview.scripts.length} files)`);
  console.log(`  baseline /portal/link-not-found ${kb(b)} kB gzip  (${kb(rawTotal(floor)).trim()} kB raw, ${floor.scripts.length} files, status ${floor.status})`);
  console.log(`  reference /signin (admin)      ${kb(total(signIn))} kB gzip  (${signIn.scripts.length} files)`);
  console.log(`  ratio overview/baseline: ${(o / b).toFixed(2)}   the overview adds ${kb(o - b).trim()} kB gzip over the floor`);
  const pass = o <= BUDGET_KB * 1000;
  console.log(`  budget ≤ ${BUDGET_KB} kB gzip (Stripe.js excluded): ${pass ? "PASS" : "FAIL"} (${((o / (BUDGET_KB * 1000)) * 100).toFixed(0)}% of budget)`);
  if (!pass) process.exitCode = 1;
} finally {
  await closeDb();
  stopServer();
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(dataDir, { recursive: true, force: true });
}

/** A fresh link to the demo workspace's oldest open case, on the workspace's clock. */
async function overviewLink(): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .select({ id: dunningCases.id, workspaceId: dunningCases.workspaceId })
    .from(dunningCases)
    .innerJoin(workspaces, eq(workspaces.id, dunningCases.workspaceId))
    .where(and(eq(workspaces.isDemo, true), eq(dunningCases.status, "open")))
    .orderBy(asc(dunningCases.createdAt))
    .limit(1);
  if (!row) throw new Error("the demo seed opened no dunning case");
  return portalLinkFor(db, row.id, (await workspaceClock(db, row.workspaceId)).now());
}

/** Follow the link as a browser would: its 303 sets the session cookie. */
async function portalSession(link: string): Promise<string> {
  const response = await fetch(link, { redirect: "manual" });
  const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?dunwell-portal=[^;]+/.test(c));
  if (response.status !== 303 || !cookie) throw new Error(`the portal link answered ${response.status} without a session cookie`);
  return cookie.split(";")[0]!;
}

async function measure(page: string, cookie?: string): Promise<Measure> {
  const response = await fetch(`${origin}${page}`, { headers: cookie ? { cookie } : {} });
  const html = await response.text();
  const urls = new Set<string>();
  const legacy = new Set<string>();
  const external: string[] = [];
  let inline = "";
  for (const tag of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attrs = attributes(tag[2]!);
    let ref: string | undefined;
    if (tag[1]!.toLowerCase() === "script") ref = attrs.src;
    else if (/\b(modulepreload|preload)\b/i.test(attrs.rel ?? "") && (attrs.rel?.includes("modulepreload") || attrs.as === "script")) ref = attrs.href;
    if (!ref) continue;
    const url = new URL(ref, origin);
    if (url.origin !== origin) {
      if (!external.includes(url.href)) external.push(url.href);
    } else if ("nomodule" in attrs) legacy.add(url.href);
    else urls.add(url.href);
  }
  for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) inline += m[1];
  const sized = (list: Set<string>) =>
    Promise.all(
      [...list].map(async (url) => {
        const body = Buffer.from(await (await fetch(url)).arrayBuffer());
        return { url, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
      }),
    );
  return { page, status: response.status, scripts: await sized(urls), external, nomodule: await sized(legacy), inlineGzip: gzipSync(inline, { level: 9 }).length };
}

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Valueless attributes too (nomodule, async): present with "".
  for (const m of source.matchAll(/([a-zA-Z:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) out[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? m[4] ?? "").replaceAll("&amp;", "&");
  return out;
}

/** The check against a real browser: same-origin scripts Chromium fetched that were not counted, and counted files it did not fetch. */
async function browserExtras(page: string, cookie: string, declared: Measure): Promise<{ extra: string[]; missing: string[] }> {
  if (!existsSync(CHROMIUM)) return { extra: [`${origin}/(skipped: no Chromium at ${CHROMIUM})`], missing: [] };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext();
    const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
    await context.addCookies([{ name, value, url: origin }]);
    const tab = await context.newPage();
    const seen = new Set<string>();
    tab.on("request", (request) => {
      if (request.resourceType() === "script" && new URL(request.url()).origin === origin) seen.add(request.url());
    });
    await tab.goto(`${origin}${page}`, { waitUntil: "networkidle" });
    const counted = declared.scripts.map((s) => s.url);
    return { extra: [...seen].filter((url) => !counted.includes(url)), missing: counted.filter((url) => !seen.has(url)) };
  } finally {
    await browser.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
