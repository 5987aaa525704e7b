// The first lines of every generated image file: what it is, where it came from, how to regenerate it.
import { stackFileName } from "../../config";

/** `source` is the stack file the config was read from: `Pulumi.<stack>.yaml` unless the render CLI was given another. */
export function generatedBy(what: string, stack: string, source = stackFileName(stack)): string {
  return `${what} (image files of stack ${stack}).\nGenerated from ${source} by \`npm run generate:packer\`; do not edit.`;
}
