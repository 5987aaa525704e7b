// The first lines of every generated image file: what it is, where it came from, how to regenerate it.
import { stackFileName } from "../../config";

export function generatedBy(what: string, stack: string): string {
  return `${what} (image files of stack ${stack}).\nGenerated from ${stackFileName(stack)} by \`npm run generate:packer\`; do not edit.`;
}
