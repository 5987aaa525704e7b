// The stack selection the CLIs share: `--stack <name>` (Pulumi.<name>.yaml in the project) or `--stack-file`.
import * as path from "node:path";
import { stackFileName, stackOfFileName } from "../config";
import { PROJECT_DIR } from "./cli-io";

/** How every CLI is told its stack (and asked for help), as node:util's parseArgs declares options. */
export const STACK_OPTIONS = {
  stack: { type: "string" },
  "stack-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A usage mistake: the CLI prints it with its usage text and exits 2. */
export class UsageError extends Error {}

/** What Pulumi allows in a stack name; anything else (a path, say) is not a stack of this project. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** The stack file to read and the stack's name, from exactly one of --stack and --stack-file. */
export function stackSource(values: { stack?: string; "stack-file"?: string }): { file: string; stack: string } {
  if ((values.stack === undefined) === (values["stack-file"] === undefined)) {
    throw new UsageError("give exactly one of --stack or --stack-file");
  }
  if (values.stack !== undefined && stackOfFileName(path.basename(values.stack)) !== undefined) {
    throw new UsageError(
      `--stack ${JSON.stringify(values.stack)} is a stack file; give its stack name (--stack ${stackNameOf(values.stack)}) or the file (--stack-file ${values.stack})`,
    );
  }
  if (values.stack !== undefined && (!STACK_NAME.test(values.stack) || /^\.+$/.test(values.stack))) {
    throw new UsageError(
      `--stack ${JSON.stringify(values.stack)} is not a stack name (letters, digits, "_", "." and "-"); use --stack-file for a file elsewhere`,
    );
  }
  const file = values.stack === undefined ? values["stack-file"]! : path.join(PROJECT_DIR, stackFileName(values.stack));
  return { file, stack: values.stack ?? stackNameOf(file) };
}

/** `Pulumi.prod.yaml` → `prod`; any other file name → its base name without extension. */
export function stackNameOf(file: string): string {
  const base = path.basename(file);
  return stackOfFileName(base) ?? base.replace(/\.ya?ml$/, "");
}

/** node:util parseArgs' own errors (unknown option, missing value) are usage mistakes too. */
export function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || ((err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ?? false);
}
