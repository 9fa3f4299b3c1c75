import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "dunwell-env-"));
const production = {
  DATABASE_URL: "postgres://u:p@localhost:5432/dunwell",
  AUTH_SECRET: "x".repeat(40),
  APP_URL: "https://dunwell.example.com",
  APP_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("parseEnv", () => {
  it("runs embedded with no environment, generating and keeping secrets in the data dir", () => {
    const dir = tmp();
    const first = parseEnv({ DUNWELL_DATA_DIR: dir });
    expect(first.mode).toBe("embedded");
    expect(first.emailTransport).toBe("outbox");
    expect(first.scheduler).toBe("inprocess");
    expect(first.appUrl).toBe("http://localhost:3000");
    expect(first.encryptionKey).toHaveLength(32);
    const again = parseEnv({ DUNWELL_DATA_DIR: dir });
    expect(again.authSecret).toBe(first.authSecret);
    expect(JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8")).authSecret).toBe(first.authSecret);
  });

  it("accepts a complete production configuration", () => {
    const env = parseEnv(production);
    expect(env.mode).toBe("production");
    expect(env.appUrl).toBe("https://dunwell.example.com");
    expect(env.encryptionKey.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it.each(["AUTH_SECRET", "APP_URL", "APP_ENCRYPTION_KEY"])("stops with one line naming %s when production lacks it", (name) => {
    const source: Record<string, string | undefined> = { ...production, [name]: undefined };
    expect(() => parseEnv(source)).toThrow(ConfigError);
    try {
      parseEnv(source);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(name);
      expect(message).toMatch(/set it/);
      expect(message).not.toContain("\n");
    }
  });

  it("names an invalid value and what to set", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://nope" })).toThrow(/DATABASE_URL.*postgres/);
    expect(() => parseEnv({ ...production, APP_ENCRYPTION_KEY: "short" })).toThrow(/APP_ENCRYPTION_KEY.*32 bytes/);
    expect(() => parseEnv({ PORT: "70000", DUNWELL_DATA_DIR: tmp() })).toThrow(/PORT/);
    expect(() => parseEnv({ ...production, RESEND_API_KEY: "sk_live" })).toThrow(/RESEND_API_KEY/);
  });

  it("reads AUTH_SECRET_PREVIOUS as a list of earlier secrets, and rejects a short one", () => {
    expect(parseEnv(production).previousAuthSecrets).toEqual([]);
    const older = ["a".repeat(32), "b".repeat(40)];
    expect(parseEnv({ ...production, AUTH_SECRET_PREVIOUS: ` ${older[0]} ,${older[1]},` }).previousAuthSecrets).toEqual(older);
    expect(() => parseEnv({ ...production, AUTH_SECRET_PREVIOUS: `${older[0]},short` })).toThrow(/AUTH_SECRET_PREVIOUS.*32\+ characters/);
  });

  it("requires the Inngest keys only when Inngest is chosen", () => {
    expect(() => parseEnv({ ...production, SCHEDULER: "inngest" })).toThrow(/INNGEST_EVENT_KEY/);
    const env = parseEnv({ ...production, SCHEDULER: "inngest", INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "signkey-prod-1" });
    expect(env.scheduler).toBe("inngest");
    expect(parseEnv({ ...production, RESEND_API_KEY: "re_123" }).emailTransport).toBe("resend");
  });

  it("reads Resend's webhook secret and API address, naming what to fix", () => {
    expect(() => parseEnv({ ...production, RESEND_WEBHOOK_SECRET: "secret" })).toThrow(/RESEND_WEBHOOK_SECRET must start with whsec_/);
    expect(() => parseEnv({ ...production, RESEND_BASE_URL: "localhost" })).toThrow(/RESEND_BASE_URL/);
    const env = parseEnv({ ...production, RESEND_WEBHOOK_SECRET: "whsec_abc", RESEND_BASE_URL: "http://127.0.0.1:9999/" });
    expect(env).toMatchObject({ resendWebhookSecret: "whsec_abc", resendBaseUrl: "http://127.0.0.1:9999" });
    expect(parseEnv(production).resendBaseUrl).toBe("https://api.resend.com");
  });
});
