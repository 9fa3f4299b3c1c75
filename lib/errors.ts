/**
 * Typed errors with a code; mapped to HTTP or form results in one place (lib/http.ts).
 * The message is written for the person who will read it.
 */
export type ErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unavailable"
  | "payload_too_large"
  | "internal";

const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** What a form shows for an AppError: the message, the first field named, and every issue when there are several. */
export function formFailure(error: AppError): { error: string; field?: string; issues?: string[] } {
  const raw = error.details?.issues;
  const issues = Array.isArray(raw)
    ? raw.flatMap((i: unknown) => {
        if (typeof i !== "object" || i === null) return [];
        const { path, message } = i as { path?: unknown; message?: unknown };
        if (typeof message !== "string") return [];
        return [{ path: typeof path === "string" ? path : "", message }];
      })
    : [];
  const field = typeof error.details?.field === "string" ? error.details.field : issues[0]?.path || undefined;
  return {
    error: error.message,
    ...(field ? { field } : {}),
    ...(issues.length > 1 ? { issues: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)) } : {}),
  };
}
