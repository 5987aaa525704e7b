import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { SECRET_KEYS, stackConfigSchema } from "../../config";
import { PROJECT_DIR } from "../support/stack";

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every config key path the schema accepts, down to leaves; union variants contribute their own keys. */
function keyPaths(schema: z.ZodType, prefix = ""): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
      return keyPaths(def.innerType!, prefix);
    case "pipe":
      return keyPaths(def.in!, prefix);
    case "object":
      return Object.entries(def.shape!).flatMap(([key, value]) => {
        const child = prefix === "" ? key : `${prefix}.${key}`;
        const nested = keyPaths(value, child);
        return nested.length > 0 ? nested : [child];
      });
    case "union":
      // A discriminated union is documented as one key with its variants spelled out.
      return [prefix];
    default:
      return [];
  }
}

describe("the README's config reference", () => {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const reference = readme.slice(readme.indexOf("## Config reference"), readme.indexOf("## Stack outputs"));
  const documented = [...reference.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);

  /** `fabio.prometheus.*` documents every key below `fabio.prometheus`; `a.cpu` / `.memory` both keys. */
  const covers = (key: string): boolean =>
    documented.some((doc) => doc === key || (doc.endsWith(".*") && key.startsWith(doc.slice(0, -1)))) ||
    reference.includes(`\`${key.slice(0, key.lastIndexOf(".") + 1)}${key.split(".").pop()}\``) ||
    reference.includes(`\`.${key.split(".").pop()}\``);

  it("lists every key the schema accepts", () => {
    const keys = keyPaths(stackConfigSchema);
    expect(keys.length).toBeGreaterThan(30);
    const missing = keys.filter((key) => !covers(key));
    expect(missing).toEqual([]);
  });

  it("lists the secret keys kept out of the schema", () => {
    for (const key of SECRET_KEYS) expect(documented).toContain(key);
  });

  it("lists no key the schema does not accept", () => {
    const keys = new Set(keyPaths(stackConfigSchema));
    const unknown = documented.filter(
      (doc) =>
        !(SECRET_KEYS as readonly string[]).includes(doc) &&
        !keys.has(doc) &&
        ![...keys].some((key) => doc.endsWith(".*") && key.startsWith(doc.slice(0, -1))) &&
        ![...keys].some((key) => key.startsWith(`${doc}.`)),
    );
    expect(unknown).toEqual([]);
  });
});
