import { getEnv } from "@/lib/env";

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

function write(level: Level, message: string, data?: Record<string, unknown>) {
  if (levels[level] < levels[getEnv().logLevel]) return;
  const line = `[dunwell] ${level} ${message}${data ? ` ${JSON.stringify(data)}` : ""}`;
  (level === "error" || level === "warn" ? console.error : console.log)(line);
}

export const logger = {
  debug: (m: string, d?: Record<string, unknown>) => write("debug", m, d),
  info: (m: string, d?: Record<string, unknown>) => write("info", m, d),
  warn: (m: string, d?: Record<string, unknown>) => write("warn", m, d),
  error: (m: string, d?: Record<string, unknown>) => write("error", m, d),
};
