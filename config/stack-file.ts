// The file a Pulumi stack's config lives in, by Pulumi's naming convention.

/** `prod` → `Pulumi.prod.yaml`: the stack file Pulumi reads, and the one errors and generated headers name. */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}
