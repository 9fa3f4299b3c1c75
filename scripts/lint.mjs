#!/usr/bin/env node
// Project rules that the type checker cannot see (STYLE.md). Exits 1 listing every breach.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const roots = ["app", "lib", "components", "inngest", "emails", "drizzle/schema", "tests", "e2e", "bench", "proxy.ts"];
const files = [];
const walk = (p) => {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return;
  }
  if (stat.isDirectory()) for (const entry of readdirSync(p)) walk(path.join(p, entry));
  else if (/\.(ts|tsx|mjs)$/.test(p)) files.push(p);
};
roots.forEach(walk);

const problems = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const source = /^(app|lib|components|inngest|emails)\//.test(file) || file === "proxy.ts";
  if (source && !file.startsWith("lib/env/") && /process\.env\b/.test(text)) problems.push(`${file}: reads process.env; use getEnv() from lib/env`);
  if (/\b(it|test|describe)\.only\(/.test(text)) problems.push(`${file}: focused test (.only)`);
  if (file.startsWith("app/") && /new (Stripe|Resend|Inngest)\(|chargebee\.configure|new Chargebee\(/.test(text)) problems.push(`${file}: SDK client built in a route; build it once in lib/`);
  if (file.startsWith("app/") && /\bsql`|db\.(select|insert|update|delete)\(/.test(text)) problems.push(`${file}: query in a route; move it to lib/`);
  // The ui barrel re-exports client components (Radix dialog, select, toast): importing it pulls them into the portal's first-load JS (npm run bench:portal).
  if ((file.startsWith("app/(portal)/") || file.startsWith("components/portal/")) && /from "@\/components\/ui"/.test(text)) problems.push(`${file}: imports the ui barrel; import the component's own module (@/components/ui/alert, …)`);
  if (source && lines.length > 400) problems.push(`${file}: ${lines.length} lines; split it by responsibility`);
  lines.forEach((line, i) => {
    if (/console\.log\(/.test(line) && source && !file.startsWith("lib/log") && !file.startsWith("lib/launcher") && !file.startsWith("lib/cli")) problems.push(`${file}:${i + 1}: console.log; use lib/log`);
  });
}

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} problem(s).`);
  process.exit(1);
}
console.log(`lint: ${files.length} files follow the project rules.`);
