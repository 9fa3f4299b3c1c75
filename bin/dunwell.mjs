#!/usr/bin/env node
// The `dunwell` CLI: TypeScript sources run through tsx, sharing lib/ with the web app.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
register({ tsconfig: path.join(root, "tsconfig.json") });
await import("../lib/cli/main.ts");
