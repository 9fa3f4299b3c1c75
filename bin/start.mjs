#!/usr/bin/env node
// `npm start` and `npm run dev`: see lib/launcher/start.ts.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
register({ tsconfig: path.join(root, "tsconfig.json") });
await import("../lib/launcher/start.ts");
