// docs/config-reference.md is generated from the schema's doc comments; it must be current and complete.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SECRET_KEYS, stackConfigSchema } from "../../config";
import { CONFIG_REFERENCE, configReference, referenceKeys, type ReferenceKey } from "../../scripts/config-reference";
import { schemaKeyPaths } from "../support/schema";
import { PROJECT_DIR } from "../support/stack";

describe("the config reference", () => {
  let keys: ReferenceKey[] = [];
  // Reading the doc comments type-checks config/ with the TypeScript compiler: seconds, so once.
  beforeAll(() => {
    keys = referenceKeys();
  }, 120_000);
  const committed = fs.readFileSync(path.join(PROJECT_DIR, CONFIG_REFERENCE), "utf8");

  it("is the file `npm run docs:config` writes from the schema (run it and commit the result)", () => {
    expect(committed).toBe(configReference(keys));
  });

  it("has a doc comment for every key of the schema", () => {
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((key) => key.doc === "").map((key) => key.path)).toEqual([]);
  });

  it("documents every key the schema accepts, and the secrets kept out of it", () => {
    const documented = new Set([...committed.matchAll(/^- \*\*`([^`]+)`\*\*/gm)].map((m) => m[1]!));
    expect([...schemaKeyPaths(stackConfigSchema), ...SECRET_KEYS].filter((key) => !documented.has(key))).toEqual([]);
  });

  it("states each default as the schema fills it in", () => {
    const entry = (key: string) => committed.split("\n").find((line) => line.startsWith(`- **\`${key}\`**`));
    expect(entry("fabio.nameServerIndex.proxyPort")).toBe(
      "- **`fabio.nameServerIndex.proxyPort`** (whole number from 1 to 65535; default `8080`)",
    );
    expect(entry("clusterName")).toBe("- **`clusterName`** (text; required)");
    expect(entry("nameServerHosts")).toBe(
      "- **`nameServerHosts`** (`{by: nodeClass, nodeClass}` or `{by: meta, key, value}`; default `{by: nodeClass, nodeClass: nameServer}`)",
    );
  });

  it("keeps every line readable", () => {
    const long = committed.split("\n").filter((line) => line.length > 240);
    expect(long).toEqual([]);
  });
});
