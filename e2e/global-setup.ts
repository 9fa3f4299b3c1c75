import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { E2E_PORT } from "../playwright.config";
import { DATA_DIR, STATE_FILE } from "./server";

/** Start the app exactly as a newcomer would (`npm start`) and keep the printed demo link. */
export default async function globalSetup(): Promise<void> {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync("test-results", { recursive: true });
  const child = spawn(process.execPath, ["bin/start.mjs"], {
    env: { ...process.env, PORT: String(E2E_PORT), DUNWELL_DATA_DIR: DATA_DIR, APP_URL: `http://localhost:${E2E_PORT}` },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const demoLink = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no sign-in link in 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
      const match = output.match(/(http:\/\/\S+\/api\/auth\/callback\/email\?\S+)/);
      if (match && output.includes("Press Ctrl+C")) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  child.stdout!.removeAllListeners("data");
  child.stdout!.resume();
  child.stderr!.resume();
  child.unref();
  writeFileSync(STATE_FILE, JSON.stringify({ pid: child.pid, demoLink, port: E2E_PORT }));
}
