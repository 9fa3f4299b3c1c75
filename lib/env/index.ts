import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads process.env. Everything else calls getEnv().
 *
 * Mode: "production" when DATABASE_URL is set (or DUNWELL_MODE=production), else "embedded".
 * Embedded mode needs no configuration: PGlite in DUNWELL_DATA_DIR, the outbox for email,
 * the sandbox provider, the in-process scheduler, and secrets generated once into
 * DUNWELL_DATA_DIR/secrets.json. Production requires every secret to be given.
 */

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DUNWELL_MODE: z.enum(["embedded", "production"]).optional(),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DUNWELL_DATA_DIR: z.string().default(".dunwell"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: optional.pipe(z.url({ message: "must be a full URL such as https://dunwell.example.com" }).optional()),
  AUTH_SECRET: optional.pipe(z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional()),
  AUTH_SECRET_PREVIOUS: optional.pipe(
    z
      .string()
      .refine((v) => v.split(",").every((s) => s.trim() === "" || s.trim().length >= 32), "must be a comma-separated list of earlier AUTH_SECRET values (32+ characters each)")
      .optional(),
  ),
  APP_ENCRYPTION_KEY: optional.pipe(
    z
      .string()
      .refine((v) => decodeKey(v) !== null, "must be 32 bytes as base64 or 64 hex characters (openssl rand -base64 32)")
      .optional(),
  ),
  APP_ENCRYPTION_KEY_ID: z.string().regex(/^[a-z0-9_-]{1,32}$/i, "must be 1–32 letters, digits, - or _").default("k1"),
  APP_ENCRYPTION_PREVIOUS_KEYS: optional.pipe(
    z
      .string()
      .refine(
        (v) => v.split(",").every((pair) => /^[a-z0-9_-]{1,32}:/i.test(pair.trim()) && decodeKey(pair.trim().slice(pair.trim().indexOf(":") + 1)) !== null),
        "must be a comma-separated list of keyId:base64key (32 bytes each)",
      )
      .optional(),
  ),
  EMAIL_FROM: z.string().default("Dunwell <dunwell@localhost>"),
  RESEND_API_KEY: optional.pipe(z.string().startsWith("re_", "must start with re_").optional()),
  RESEND_WEBHOOK_SECRET: optional.pipe(z.string().startsWith("whsec_", "must start with whsec_ (the webhook's signing secret in Resend)").optional()),
  RESEND_BASE_URL: optional.pipe(z.url({ message: "must be a full URL such as https://api.resend.com" }).optional()),
  TWILIO_ACCOUNT_SID: optional.pipe(z.string().regex(/^AC[0-9a-f]{32}$/i, "must be your Twilio Account SID (AC followed by 32 hex characters)").optional()),
  TWILIO_AUTH_TOKEN: optional,
  TWILIO_FROM: optional.pipe(z.string().regex(/^(\+[1-9]\d{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/, "must be a phone number in E.164 form (+14155550100) or an alphanumeric sender ID (up to 11 letters and digits)").optional()),
  TWILIO_MESSAGING_SERVICE_SID: optional.pipe(z.string().regex(/^MG[0-9a-f]{32}$/i, "must be a Messaging Service SID (MG followed by 32 hex characters)").optional()),
  TWILIO_BASE_URL: optional.pipe(z.url({ message: "must be a full URL such as https://api.twilio.com" }).optional()),
  SCHEDULER: z.enum(["inprocess", "inngest"]).optional(),
  INNGEST_EVENT_KEY: optional,
  INNGEST_SIGNING_KEY: optional,
  INNGEST_BASE_URL: optional.pipe(z.url().optional()),
  INNGEST_DEV: optional,
  AUTH_GITHUB_ID: optional,
  AUTH_GITHUB_SECRET: optional,
  AUTH_GOOGLE_ID: optional,
  AUTH_GOOGLE_SECRET: optional,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = Readonly<{
  mode: "embedded" | "production";
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  appUrl: string;
  authSecret: string;
  /** AUTH_SECRET values used before a rotation: portal links they signed still open. */
  previousAuthSecrets: readonly string[];
  encryptionKey: Buffer;
  encryptionKeyId: string;
  /** Older keys by id, to decrypt secrets written before a rotation. */
  previousEncryptionKeys: ReadonlyMap<string, Buffer>;
  emailFrom: string;
  emailTransport: "resend" | "outbox";
  resendApiKey: string | undefined;
  /** Verifies Resend's delivery webhooks at /api/webhooks/resend. */
  resendWebhookSecret: string | undefined;
  /** The Resend API's address; tests point the SDK at a local server. */
  resendBaseUrl: string;
  /** SMS goes through Twilio when it is configured; otherwise the stored message is the delivery (the outbox). */
  smsTransport: "twilio" | "outbox";
  /** The account's credentials and sender; its auth token also verifies inbound SMS at /api/webhooks/twilio. */
  twilio: TwilioConfig | undefined;
  scheduler: "inprocess" | "inngest";
  inngest: { eventKey?: string; signingKey?: string; baseUrl?: string; dev: boolean };
  oauth: { github?: { id: string; secret: string }; google?: { id: string; secret: string } };
  logLevel: "debug" | "info" | "warn" | "error";
}>;

/** One sender (a number or alphanumeric ID, or a Messaging Service); baseUrl: tests point the SDK at a local server. */
export type TwilioConfig = Readonly<{ accountSid: string; authToken: string; sender: { from: string } | { messagingServiceSid: string }; baseUrl: string }>;

function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, "hex");
  const b = Buffer.from(value, "base64");
  return b.length === 32 ? b : null;
}

const hints: Record<string, string> = {
  DATABASE_URL: "set it to postgres://user:password@host:5432/dunwell, or unset it for the embedded PGlite database",
  AUTH_SECRET: "set it to a random string of 32+ characters (openssl rand -base64 32)",
  AUTH_SECRET_PREVIOUS: "list the secrets used before a rotation, separated by commas",
  APP_URL: "set it to the public URL of this app, e.g. https://dunwell.example.com",
  APP_ENCRYPTION_KEY: "set it to 32 random bytes in base64 (openssl rand -base64 32)",
  APP_ENCRYPTION_PREVIOUS_KEYS: "list the keys used before a rotation as k1:BASE64,k0:BASE64",
  RESEND_WEBHOOK_SECRET: "copy the signing secret (whsec_…) of the webhook you added in Resend",
  INNGEST_EVENT_KEY: "set it to your Inngest event key, or set SCHEDULER=inprocess",
  INNGEST_SIGNING_KEY: "set it to your Inngest signing key, or set SCHEDULER=inprocess",
  TWILIO_ACCOUNT_SID: "copy the Account SID from the Twilio console, or unset every TWILIO_ variable to keep SMS in the outbox",
  TWILIO_AUTH_TOKEN: "copy the Auth Token from the Twilio console, or unset every TWILIO_ variable to keep SMS in the outbox",
  TWILIO_FROM: "set TWILIO_FROM to your Twilio number (+14155550100) or TWILIO_MESSAGING_SERVICE_SID to a Messaging Service, not both",
};

function fail(variable: string, problem: string): never {
  const hint = hints[variable];
  throw new ConfigError(`Invalid configuration: ${variable} ${problem}${hint ? `; ${hint}` : ""}.`);
}

type Secrets = { authSecret: string; encryptionKey: string };

/** Embedded mode keeps generated secrets beside its data so sessions and ciphertexts survive restarts. */
function embeddedSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  const secrets: Secrets = {
    authSecret: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  return secrets;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(String(issue.path[0] ?? "environment"), issue.message.replace(/^Invalid input: /, "is invalid: "));
  }
  const v = parsed.data;
  const mode = v.DUNWELL_MODE ?? (v.DATABASE_URL ? "production" : "embedded");
  const dataDir = path.resolve(v.DUNWELL_DATA_DIR);
  const scheduler = v.SCHEDULER ?? (mode === "production" && v.INNGEST_SIGNING_KEY ? "inngest" : "inprocess");

  let authSecret = v.AUTH_SECRET;
  let encryptionKey = v.APP_ENCRYPTION_KEY;
  if (mode === "production") {
    if (!v.DATABASE_URL) fail("DATABASE_URL", "is required in production mode");
    if (!authSecret) fail("AUTH_SECRET", "is required in production mode");
    if (!encryptionKey) fail("APP_ENCRYPTION_KEY", "is required in production mode");
    if (!v.APP_URL) fail("APP_URL", "is required in production mode");
  } else if (!authSecret || !encryptionKey) {
    const generated = embeddedSecrets(dataDir);
    authSecret ??= generated.authSecret;
    encryptionKey ??= generated.encryptionKey;
  }
  if (scheduler === "inngest" && v.INNGEST_DEV === undefined) {
    if (!v.INNGEST_EVENT_KEY) fail("INNGEST_EVENT_KEY", "is required when SCHEDULER=inngest");
    if (!v.INNGEST_SIGNING_KEY) fail("INNGEST_SIGNING_KEY", "is required when SCHEDULER=inngest");
  }
  const pair = (id?: string, secret?: string) => (id && secret ? { id, secret } : undefined);
  const twilio = twilioConfig(v);

  return Object.freeze({
    mode,
    nodeEnv: v.NODE_ENV,
    databaseUrl: v.DATABASE_URL,
    dataDir,
    port: v.PORT,
    appUrl: (v.APP_URL ?? `http://localhost:${v.PORT}`).replace(/\/$/, ""),
    authSecret: authSecret!,
    previousAuthSecrets: Object.freeze(
      (v.AUTH_SECRET_PREVIOUS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    encryptionKey: decodeKey(encryptionKey!)!,
    encryptionKeyId: v.APP_ENCRYPTION_KEY_ID,
    previousEncryptionKeys: new Map(
      (v.APP_ENCRYPTION_PREVIOUS_KEYS ?? "")
        .split(",")
        .map((pair) => pair.trim())
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf(":")), decodeKey(pair.slice(pair.indexOf(":") + 1))!] as const),
    ),
    emailFrom: v.EMAIL_FROM,
    emailTransport: v.RESEND_API_KEY ? "resend" : "outbox",
    resendApiKey: v.RESEND_API_KEY,
    resendWebhookSecret: v.RESEND_WEBHOOK_SECRET,
    resendBaseUrl: (v.RESEND_BASE_URL ?? "https://api.resend.com").replace(/\/$/, ""),
    smsTransport: twilio ? "twilio" : "outbox",
    twilio,
    scheduler,
    inngest: {
      eventKey: v.INNGEST_EVENT_KEY,
      signingKey: v.INNGEST_SIGNING_KEY,
      baseUrl: v.INNGEST_BASE_URL,
      dev: v.INNGEST_DEV !== undefined && v.INNGEST_DEV !== "0",
    },
    oauth: {
      github: pair(v.AUTH_GITHUB_ID, v.AUTH_GITHUB_SECRET),
      google: pair(v.AUTH_GOOGLE_ID, v.AUTH_GOOGLE_SECRET),
    },
    logLevel: v.LOG_LEVEL,
  });
}

/** All of SID, token and one sender, or none of them: half a Twilio configuration stops start-up. */
function twilioConfig(v: z.infer<typeof schema>): TwilioConfig | undefined {
  const sender = v.TWILIO_FROM ?? v.TWILIO_MESSAGING_SERVICE_SID;
  if (!v.TWILIO_ACCOUNT_SID && !v.TWILIO_AUTH_TOKEN && !sender) return undefined;
  if (!v.TWILIO_ACCOUNT_SID) fail("TWILIO_ACCOUNT_SID", "is required when other TWILIO_ variables are set");
  if (!v.TWILIO_AUTH_TOKEN) fail("TWILIO_AUTH_TOKEN", "is required when other TWILIO_ variables are set");
  if (!sender) fail("TWILIO_FROM", "(or TWILIO_MESSAGING_SERVICE_SID) is required when other TWILIO_ variables are set");
  if (v.TWILIO_FROM && v.TWILIO_MESSAGING_SERVICE_SID) fail("TWILIO_FROM", "and TWILIO_MESSAGING_SERVICE_SID are both set");
  const baseUrl = (v.TWILIO_BASE_URL ?? "https://api.twilio.com").replace(/\/$/, "");
  return Object.freeze({ accountSid: v.TWILIO_ACCOUNT_SID, authToken: v.TWILIO_AUTH_TOKEN, sender: v.TWILIO_FROM ? { from: v.TWILIO_FROM } : { messagingServiceSid: sender }, baseUrl });
}

let cached: Env | undefined;

/** Parsed lazily so `next build`, which imports routes, never needs runtime configuration. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and the launcher adjust configuration before first use. */
export function resetEnvForTests(): void {
  cached = undefined;
}

/** Build-time facts for next.config.ts (headers), which may not need the runtime secrets. */
export function isProductionBuild(): boolean {
  return process.env.NODE_ENV === "production";
}
