// The base renders `npm run diff` made before, so a rerun against the same revision renders only the working tree.
// A base render is a function of the revision (its code and its stack file), of the node_modules it runs with and of
// the Node that runs it (base-render.ts runs the diff's own), which together make the key: the render CLI reads no
// environment variable and no file outside the revision and node_modules. What the key cannot see: a file in
// node_modules edited by hand (npm's record of it unchanged), and NODE_OPTIONS. Only renders that succeeded are
// kept (a failed one may have failed for a passing reason), and none for a node_modules npm did not install.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RenderTree } from "../diff";

/** How many base renders are kept; the least recently used go first. */
export const BASE_RENDERS_KEPT = 32;

export interface BaseRenderKey {
  /** The revision's full commit ID. */
  commit: string;
  /** The stack file's path in the revision, with `/` separators. */
  stackPath: string;
  /** The node_modules the revision's render CLI runs with. */
  nodeModules: string;
}

export function baseRenderCacheDir(): string {
  const userCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(userCache, "rocketmq-system-jobs", "base-renders");
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The entry's file, or undefined where node_modules has no npm record of what it holds (nothing is kept then). */
function entryFile(dir: string, key: BaseRenderKey): string | undefined {
  let installed: string;
  try {
    // npm's record of what node_modules holds, rewritten by every install.
    installed = fs.readFileSync(path.join(key.nodeModules, ".package-lock.json"), "utf8");
  } catch {
    return undefined;
  }
  return path.join(
    dir,
    `${sha256(JSON.stringify([key.commit, key.stackPath, process.version, sha256(installed)]))}.json`,
  );
}

interface Entry {
  commit: string;
  files: [string, string][];
}

/** The tree an earlier run rendered for `key`, or undefined (none, or unreadable). */
export function cachedBaseRender(key: BaseRenderKey, dir = baseRenderCacheDir()): RenderTree | undefined {
  const file = entryFile(dir, key);
  if (file === undefined) return undefined;
  let entry: Partial<Entry> | null;
  try {
    entry = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Entry> | null;
  } catch {
    return undefined;
  }
  const files = typeof entry === "object" && entry?.commit === key.commit ? entry.files : undefined;
  const wellFormed =
    Array.isArray(files) &&
    files.every((f) => Array.isArray(f) && f.length === 2 && f.every((part) => typeof part === "string"));
  if (!wellFormed) return undefined;
  try {
    // Used now: the prune keeps the renders used last.
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // pruned meanwhile by another diff, or a cache this user may read but not write: the render is still good
  }
  return new Map(files);
}

/** Keeps `tree` for `key`, and drops the least recently used renders beyond BASE_RENDERS_KEPT. */
export function storeBaseRender(key: BaseRenderKey, tree: RenderTree, dir = baseRenderCacheDir()): void {
  try {
    const file = entryFile(dir, key);
    if (file === undefined) return;
    fs.mkdirSync(dir, { recursive: true });
    const entry: Entry = { commit: key.commit, files: [...tree] };
    // Written whole, then renamed: a diff running beside this one reads the old entry or the new, never half.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, JSON.stringify(entry));
    fs.renameSync(partial, file);
    const names = fs.readdirSync(dir);
    const entries = names
      .filter((name) => name.endsWith(".json"))
      .map((name) => ({ file: path.join(dir, name), used: fs.statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const old of entries.slice(BASE_RENDERS_KEPT)) fs.rmSync(old.file, { force: true });
    // What a killed diff left half written, once it is older than any write still running could be.
    for (const name of names.filter((n) => n.endsWith(".partial"))) {
      const partialFile = path.join(dir, name);
      if (Date.now() - fs.statSync(partialFile).mtimeMs > 60 * 60 * 1000) fs.rmSync(partialFile, { force: true });
    }
  } catch {
    // A cache that cannot be written costs the next run a render, nothing else.
  }
}
