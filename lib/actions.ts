import "server-only";
import type { z } from "zod";
import { authorizeAction, type OperatorContext } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/roles";
import { formFailure, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parseInput } from "@/lib/validation";

export type ActionResult<T = undefined> =
  | { ok: true; message: string; data?: T }
  /** `field` names the first input at fault; `issues` lists every problem when there are several. */
  | { ok: false; error: string; field?: string; issues?: string[] };

/**
 * Every admin server action goes through here: check the session and role on the server,
 * parse the form with zod, call one lib/ function, and map errors to a message a person reads.
 */
export function operatorAction<S extends z.ZodType, T>(
  minimum: Role,
  schema: S,
  run: (input: z.output<S>, context: OperatorContext) => Promise<{ message: string; data?: T }>,
) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    try {
      const context = await authorizeAction(minimum);
      const input = parseInput(schema, Object.fromEntries(formData));
      const result = await run(input, context);
      return { ok: true, ...result };
    } catch (error) {
      if (isAppError(error)) return { ok: false, ...formFailure(error) };
      logger.error("server action failed", { error: String(error) });
      return { ok: false, error: "Something went wrong on our side; nothing was changed. Try again in a moment." };
    }
  };
}
