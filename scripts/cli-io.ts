// What the CLIs share, the convention of docs/cli.md: exit codes, what goes to stdout and to stderr, and how a
// user's mistake becomes one line per problem.
import * as path from "node:path";
import { isUsageError } from "./stack-args";

/** The project (where Pulumi.<stack>.yaml and node_modules live), for every CLI. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Exit codes of every CLI, as git diff --exit-code and grep use 0, 1 and 2. */
export const EXIT = {
  /** Done: rendered, written, nothing differs, every check passed. */
  ok: 0,
  /** The CLI ran and found something: verify had a failing check, `diff --exit-code` a difference. */
  found: 1,
  /** Nothing was done because the input must be fixed: usage, config, a revision, an unwritable --out. */
  userError: 2,
  /** A bug in the CLI itself (sysexits' EX_SOFTWARE): the stack trace is printed for a report. */
  bug: 70,
} as const;

/** Where a CLI prints: `log` is stdout (the result only), `error` is stderr (progress, summaries, errors). */
export interface Console {
  log(line: string): void;
  error(line: string): void;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** `error: ` before every line, so each problem of a multi-problem error stands on its own line. */
export function errorLines(message: string): string {
  return message
    .split("\n")
    .map((line) => `error: ${line}`)
    .join("\n");
}

/**
 * The exit code for an error a CLI caught: one of `userErrors` (invalid config, an unwritable output, …)
 * prints its message, one line per problem; a usage mistake prints the usage text too. Both exit 2.
 * Anything else is a bug and is rethrown, stack trace and all (see `exitWith`).
 */
export function exitCodeFor(
  err: unknown,
  io: Console,
  { usage, userErrors }: { usage: string; userErrors: readonly ErrorClass[] },
): number {
  if (userErrors.some((type) => err instanceof type)) {
    io.error(errorLines((err as Error).message));
    return EXIT.userError;
  }
  if (isUsageError(err)) {
    io.error(`${errorLines((err as Error).message)}\n\n${usage}`);
    return EXIT.userError;
  }
  throw err;
}

/** How an entry point ends: with the CLI's exit code, or 70 and the stack trace when the CLI has a bug. */
export function exitWith(code: number | Promise<number> | (() => number)): void {
  const settle = (value: number) => {
    process.exitCode = value;
  };
  const bug = (err: unknown) => {
    console.error(err);
    process.exitCode = EXIT.bug;
  };
  try {
    const result = typeof code === "function" ? code() : code;
    if (typeof result === "number") settle(result);
    else result.then(settle, bug);
  } catch (err) {
    bug(err);
  }
}
