// Renders a stack at a git revision with that revision's own code: the render CLI of a copy of its tree.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RenderTree } from "../diff";
import { cachedBaseRender, storeBaseRender } from "./base-render-cache";

/** The revision cannot be used at all (no repository, unknown ref): a user mistake, one line. */
export class BaseError extends Error {}

export type BaseRender =
  | { commit: string; tree: RenderTree }
  /** The base has nothing to render (no stack file, no render CLI, invalid config): `why` says so in one line. */
  | { commit: string; tree: undefined; why: string };

export interface BaseRenderRequest {
  /** The stack file in the working tree; the base's is the file at the same path in the revision. */
  stackFile: string;
  ref: string;
  /** node_modules the base's render CLI runs with (the base's own dependencies are not installed). */
  nodeModules: string;
}

/**
 * Exports the revision's tree with `git archive` into a temporary directory (the working tree, its index
 * and the repository's worktree list stay untouched), links the working tree's node_modules into it, and
 * runs that revision's `npm run render`. The temporary directory is removed either way. A render of the same
 * revision and stack file with the same node_modules is taken from the cache instead (base-render-cache.ts).
 */
export function renderAtBase(request: BaseRenderRequest): BaseRender {
  const stackFile = fs.realpathSync(request.stackFile);
  const top = git(path.dirname(stackFile), ["rev-parse", "--show-toplevel"]);
  if (top === undefined)
    throw new BaseError(`${request.stackFile} is not in a git repository, so it has no base revision`);
  const commit = git(top, ["rev-parse", "--verify", "--quiet", `${request.ref}^{commit}`]);
  if (commit === undefined) throw new BaseError(`--base ${request.ref}: no such commit in ${top}`);
  const relStack = path.relative(fs.realpathSync(top), stackFile);
  const shown = relStack.split(path.sep).join("/");
  const key = { commit, stackPath: shown, nodeModules: request.nodeModules };
  const cached = cachedBaseRender(key);
  if (cached !== undefined) return { commit, tree: cached };

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rocketmq-diff-"));
  try {
    const tree = path.join(scratch, "tree");
    fs.mkdirSync(tree);
    const tarball = path.join(scratch, "base.tar");
    const archive = spawnSync("git", ["-C", top, "archive", "--format=tar", "-o", tarball, commit], {
      encoding: "utf8",
    });
    const extract =
      archive.status === 0 ? spawnSync("tar", ["-xf", tarball, "-C", tree], { encoding: "utf8" }) : archive;
    if (extract.status !== 0) throw new BaseError(`cannot export ${request.ref}: ${firstLine(extract.stderr)}`);

    const baseStack = path.join(tree, relStack);
    const project = path.dirname(baseStack);
    if (!fs.existsSync(baseStack)) return { commit, tree: undefined, why: `it has no ${shown}` };
    if (!hasRenderScript(project)) return { commit, tree: undefined, why: "it has no `npm run render`" };
    if (!fs.existsSync(path.join(project, "node_modules"))) {
      fs.symlinkSync(request.nodeModules, path.join(project, "node_modules"), "dir");
    }

    const out = path.join(scratch, "out");
    const render = spawnSync("npm", ["run", "--silent", "render", "--", "--stack-file", baseStack, "--out", out], {
      cwd: project,
      encoding: "utf8",
      // This diff's own Node runs the base's render, the one the kept renders are keyed by.
      env: {
        ...process.env,
        NO_COLOR: "1",
        PATH: [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter),
      },
    });
    if (render.status !== 0) {
      const error = render.stderr.split("\n").find((l) => l.startsWith("error: ")) ?? firstLine(render.stderr);
      return {
        commit,
        tree: undefined,
        why: error
          .replace(/^error: /, "")
          .split(baseStack)
          .join(shown),
      };
    }
    const rendered = readTree(out);
    storeBaseRender(key, rendered);
    return { commit, tree: rendered };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The command's output, or undefined when git fails. */
function git(cwd: string, args: string[]): string | undefined {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function firstLine(text: string | null): string {
  return (text ?? "").trim().split("\n")[0] ?? "";
}

function hasRenderScript(project: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    };
    return typeof pkg.scripts?.render === "string";
  } catch {
    return false;
  }
}

/** The files a render wrote under --out, by the path the render CLI gives them; its dotfiles are not artifacts. */
export function readTree(out: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(full, rel);
      else tree.set(rel, fs.readFileSync(full, "utf8"));
    }
  };
  walk(out, "");
  return tree;
}
