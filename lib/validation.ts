import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Parse untrusted input; the first problem becomes a readable invalid_input error. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    throw new AppError("invalid_input", field ? `${field}: ${issue.message}` : issue.message, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}
