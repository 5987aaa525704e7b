// What the CLIs share: where they print, and how a user's mistake becomes one line and an exit code.
import { isUsageError } from "./stack-args";

export interface Console {
  log(line: string): void;
  error(line: string): void;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * The exit code for an error a CLI caught: one of `userErrors` (invalid config, an unwritable output, …)
 * prints its message on one line and exits `code`; a usage mistake prints the usage text too and exits 2.
 * Anything else is a bug and is rethrown, stack trace and all.
 */
export function exitCodeFor(
  err: unknown,
  io: Console,
  { usage, userErrors, code }: { usage: string; userErrors: readonly ErrorClass[]; code: number },
): number {
  if (userErrors.some((type) => err instanceof type)) {
    io.error(`error: ${(err as Error).message}`);
    return code;
  }
  if (isUsageError(err)) {
    io.error(`error: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  throw err;
}
