// Walks the zod schema the way the tests read it: through defaults, optionals and pipes to what a key accepts.
import type { z } from "zod";

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** What a key accepts once its default, optionality and pipe are looked through: "object", "union", "string", … */
export function acceptedType(schema: z.ZodType): string {
  const def = defOf(schema);
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
      return acceptedType(def.innerType!);
    case "pipe":
      return acceptedType(def.in!);
    default:
      return def.type;
  }
}

/** Every config key path the schema accepts, down to leaves; a discriminated union counts as one key. */
export function schemaKeyPaths(schema: z.ZodType, prefix = ""): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
      return schemaKeyPaths(def.innerType!, prefix);
    case "pipe":
      return schemaKeyPaths(def.in!, prefix);
    case "object":
      return Object.entries(def.shape!).flatMap(([key, value]) => {
        const child = prefix === "" ? key : `${prefix}.${key}`;
        const nested = schemaKeyPaths(value, child);
        return nested.length > 0 ? nested : [child];
      });
    case "union":
      // A discriminated union is documented as one key with its variants spelled out.
      return [prefix];
    default:
      return [];
  }
}
