#!/usr/bin/env node
// Run a TypeScript file of this project (benchmarks, scripts) with the project's path aliases.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
register({ tsconfig: path.join(root, "tsconfig.json") });
const file = process.argv[2];
if (!file) {
  console.error("usage: node bin/run-ts.mjs FILE.ts [args…]");
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(path.resolve(file)).href);
