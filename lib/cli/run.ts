import { finish } from "./context";
import { reportError } from "./output";

/** Wrap a command: run it, report errors in one line (or JSON), always close the database. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const options = args.find((a) => typeof a === "object" && a !== null && "json" in (a as object)) as { json?: boolean } | undefined;
    try {
      await run(...args);
    } catch (error) {
      reportError(error, Boolean(options?.json));
    } finally {
      await finish();
    }
  };
}
