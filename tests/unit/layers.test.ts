// The one-way flow: config → model → render → components → index.ts. A module may import only from its own
// layer and those before it; scripts/, verify/ and diff/ read the model and render's output.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/stack";

/** Each layer and the layers it may import from (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  config: [],
  model: ["config"],
  render: ["config", "model"],
  components: ["config", "model", "render"],
  diff: ["config", "model", "render"],
  verify: ["config", "model", "render"],
};

function sourcesOf(dir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_DIR, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The project layers a file imports from (relative imports only). */
function importedLayers(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)[^;]*?from "(\.[^"]+)";/gms)].map((match) => {
    const target = path.relative(PROJECT_DIR, path.resolve(path.dirname(file), match[1]!));
    return target.split(path.sep)[0]!;
  });
}

describe("the layers", () => {
  it.each(Object.entries(MAY_IMPORT))("%s imports only from the layers before it", (layer, allowed) => {
    const offending = sourcesOf(layer).flatMap((file) =>
      importedLayers(file)
        .filter((target) => target !== layer && target in MAY_IMPORT && !allowed.includes(target))
        .map((target) => `${path.relative(PROJECT_DIR, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it("keeps config/ free of import cycles between its modules", () => {
    const graph = new Map(
      sourcesOf("config").map((file) => [
        file,
        [...fs.readFileSync(file, "utf8").matchAll(/^(?:import|export)[^;]*?from "(\.\/[^"]+)";/gms)].map(
          (m) => `${path.resolve(path.dirname(file), m[1]!)}.ts`,
        ),
      ]),
    );
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (trail.includes(file)) {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.basename(f)).join(" → "));
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
