import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Database tests run on an in-memory PGlite per worker, or on PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tests/helpers/empty.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    setupFiles: ["tests/helpers/setup.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: {
      NODE_ENV: "test",
      DUNWELL_DATA_DIR: path.join(os.tmpdir(), `dunwell-test-${process.pid}`),
      AUTH_SECRET: "test-auth-secret-test-auth-secret-0123456789",
      APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      APP_URL: "http://localhost:3999",
      LOG_LEVEL: "warn",
    },
  },
});
