import { isAppError } from "@/lib/errors";
import { ConfigError } from "@/lib/env";

export type OutputOptions = { json?: boolean };

/** Print a command's result: JSON for scripts (--json), readable lines otherwise. */
export function emit(options: OutputOptions, value: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return "(none)";
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => String(r[c] ?? ""))))].join("\n");
}

/** One line on stderr (or a JSON error on stdout with --json) and exit code 1. */
export function reportError(error: unknown, json: boolean): void {
  const known = isAppError(error) || error instanceof ConfigError;
  const message = error instanceof Error ? error.message : String(error);
  const code = isAppError(error) ? error.code : error instanceof ConfigError ? "config" : "internal";
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else process.stderr.write(`dunwell: ${message}\n`);
  // An unexpected error is a bug: keep its stack for the report.
  if (!known && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
