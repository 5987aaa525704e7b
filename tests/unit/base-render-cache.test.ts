import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  BASE_RENDERS_KEPT,
  cachedBaseRender,
  storeBaseRender,
  type BaseRenderKey,
} from "../../scripts/base-render-cache";

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function scratch(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A node_modules whose npm record of installed packages says `record`. */
function nodeModules(record: string): string {
  const dir = scratch("node-modules-");
  fs.writeFileSync(path.join(dir, ".package-lock.json"), record);
  return dir;
}

const TREE = new Map([
  ["jobs/prometheus.nomad.hcl", 'job "prometheus" {}\n'],
  ["prometheus/prometheus.yml", "global:\n  scrape_interval: 15s\n"],
]);

describe("the base render cache of npm run diff", () => {
  const key = (over: Partial<BaseRenderKey> = {}): BaseRenderKey => ({
    commit: "0123456789abcdef0123456789abcdef01234567",
    stackPath: "Pulumi.prod.yaml",
    nodeModules: modules,
    ...over,
  });
  let modules = "";

  it("gives back a stored render for the same revision, stack file and node_modules", () => {
    modules = nodeModules('{"lockfileVersion":3}');
    const dir = scratch("base-renders-");
    expect(cachedBaseRender(key(), dir)).toBeUndefined();
    storeBaseRender(key(), TREE, dir);
    expect(cachedBaseRender(key(), dir)).toEqual(TREE);
  });

  it("renders again for another revision, another stack file or node_modules that changed", () => {
    modules = nodeModules('{"lockfileVersion":3}');
    const dir = scratch("base-renders-");
    storeBaseRender(key(), TREE, dir);
    expect(cachedBaseRender(key({ commit: "f".repeat(40) }), dir)).toBeUndefined();
    expect(cachedBaseRender(key({ stackPath: "Pulumi.dev.yaml" }), dir)).toBeUndefined();
    fs.writeFileSync(path.join(modules, ".package-lock.json"), '{"lockfileVersion":3,"packages":{"yaml":{}}}');
    expect(cachedBaseRender(key(), dir)).toBeUndefined();
  });

  it("keeps nothing for a node_modules without npm's record of what it holds", () => {
    modules = scratch("node-modules-");
    const dir = scratch("base-renders-");
    storeBaseRender(key(), TREE, dir);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(cachedBaseRender(key(), dir)).toBeUndefined();
  });

  it("takes an entry it cannot read, or one of another shape, for none", () => {
    modules = nodeModules("{}");
    const dir = scratch("base-renders-");
    storeBaseRender(key(), TREE, dir);
    const [entry] = fs.readdirSync(dir).map((name) => path.join(dir, name));
    const others = [
      "{not json",
      "null",
      "[]",
      '{"files":[]}',
      JSON.stringify({ commit: key().commit, files: [["a", 1]] }),
    ];
    for (const text of others) {
      fs.writeFileSync(entry!, text);
      expect(cachedBaseRender(key(), dir)).toBeUndefined();
    }
  });

  it(`keeps the ${BASE_RENDERS_KEPT} renders used last`, () => {
    modules = nodeModules("{}");
    const dir = scratch("base-renders-");
    const commits = Array.from({ length: BASE_RENDERS_KEPT }, (_, i) => i.toString(16).padStart(40, "0"));
    for (const [i, commit] of commits.entries()) {
      storeBaseRender(key({ commit }), TREE, dir);
      // Each a second older than the next, so the order does not rest on the clock's resolution.
      const file = fs
        .readdirSync(dir)
        .map((name) => path.join(dir, name))
        .find((f) => (JSON.parse(fs.readFileSync(f, "utf8")) as { commit: string }).commit === commit)!;
      const when = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      fs.utimesSync(file, when, when);
    }
    // Reading the oldest makes it the one used last: one more render drops the second oldest instead.
    expect(cachedBaseRender(key({ commit: commits[0]! }), dir)).toEqual(TREE);
    storeBaseRender(key({ commit: "e".repeat(40) }), TREE, dir);
    expect(fs.readdirSync(dir)).toHaveLength(BASE_RENDERS_KEPT);
    expect(cachedBaseRender(key({ commit: commits[1]! }), dir)).toBeUndefined();
    for (const commit of [commits[0]!, commits[2]!, "e".repeat(40)]) {
      expect(cachedBaseRender(key({ commit }), dir)).toEqual(TREE);
    }
  });

  it("removes what a killed write left half written once it is an hour old", () => {
    modules = nodeModules("{}");
    const dir = scratch("base-renders-");
    const [stale, fresh] = ["a.json.1.partial", "b.json.2.partial"].map((name) => path.join(dir, name));
    for (const file of [stale!, fresh!]) fs.writeFileSync(file, "{");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(stale!, twoHoursAgo, twoHoursAgo);
    storeBaseRender(key(), TREE, dir);
    expect([fs.existsSync(stale!), fs.existsSync(fresh!)]).toEqual([false, true]);
  });

  it("leaves a cache it cannot write alone, and renders every time", () => {
    modules = nodeModules("{}");
    const notADirectory = path.join(scratch("base-renders-"), "file");
    fs.writeFileSync(notADirectory, "");
    expect(() => storeBaseRender(key(), TREE, notADirectory)).not.toThrow();
    expect(cachedBaseRender(key(), notADirectory)).toBeUndefined();
  });
});
