import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createSignInLink } from "@/lib/auth/magic-link";
import { findUserByEmail } from "@/lib/auth/operators";
import { connect, useDatabaseUrl } from "@/lib/db/client";
import { startEmbeddedHost, type EmbeddedHost } from "@/lib/db/embedded-host";
import { runMigrations } from "@/lib/db/migrate";
import { DEMO_OPERATOR_EMAIL, seedDemo } from "@/lib/demo/seed";
import { ConfigError, getEnv } from "@/lib/env";
import { startTicker } from "@/lib/scheduler/inprocess";
import { registerDefaultJobs } from "@/lib/scheduler/jobs";

/**
 * `npm start` / `npm run dev`: build if there is no build, host the embedded database
 * (or use DATABASE_URL), migrate, seed the demo on first run, start the in-process
 * scheduler, serve Next on PORT, and print the URL with a one-time demo sign-in link.
 */

const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
const say = (line: string) => process.stdout.write(`${line}\n`);

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next ${args[0]} exited with ${code}`))));
  });
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  const env = getEnv();
  const started = Date.now();

  if (!dev && !existsSync(path.join(".next", "BUILD_ID"))) {
    say("No build found: building the app once (about a minute)…");
    await run(["build"]);
  }

  let host: EmbeddedHost | undefined;
  let databaseUrl = env.databaseUrl;
  if (!databaseUrl) {
    host = await startEmbeddedHost({ dataDir: env.dataDir });
    databaseUrl = host.url;
    useDatabaseUrl(databaseUrl);
  }
  await runMigrations(databaseUrl);

  let demoLink: string | undefined;
  if (env.mode === "embedded") {
    const { db, sql } = connect(databaseUrl, { max: 2 });
    try {
      const seeded = await seedDemo(db);
      if (seeded.created) say(`Seeded the demo workspace "${seeded.workspace.name}".`);
      if (await findUserByEmail(db, DEMO_OPERATOR_EMAIL)) demoLink = (await createSignInLink(db, DEMO_OPERATOR_EMAIL)).url;
    } finally {
      await sql.end({ timeout: 5 });
    }
  }

  if (env.scheduler === "inprocess") registerDefaultJobs();
  const ticker = env.scheduler === "inprocess" ? startTicker(2_000) : undefined;
  const server = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "--port", String(env.port)], {
    stdio: ["ignore", "inherit", "inherit"],
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (server.exitCode === null) server.kill("SIGTERM");
    await ticker?.stop();
    await host?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  server.on("exit", (code) => void stop(code ?? 0));

  await waitUntilServing(`http://127.0.0.1:${env.port}`, server);
  say("");
  say(`Dunwell is running at ${env.appUrl}  (${env.mode} mode, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (demoLink) {
    say("Sign in as the demo operator with this one-time link (valid 24 hours):");
    say(`    ${demoLink}`);
  }
  say("Press Ctrl+C to stop.");
}

main().catch((error) => {
  process.stderr.write(`dunwell: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
