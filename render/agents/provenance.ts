// The first lines of every generated image file: what it is, where it came from, how to regenerate it.
import type { StackModel } from "../../model";

/** Names the model's stack and the stack file it was read from. */
export function generatedBy(what: string, model: StackModel): string {
  return `${what} (image files of stack ${model.stack}).\nGenerated from ${model.source} by \`npm run generate:packer\`; do not edit.`;
}
