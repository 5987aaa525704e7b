// The render CLI's output directory: every artifact is staged, then swapped in per owned subdirectory.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Artifact } from "../render";

/** The subdirectories of --out the CLI owns: each is replaced as a whole on every render. */
export const OWNED_DIRS = ["jobs", "prometheus", "alertmanager", "dashboards", "consul-acl", "packer"] as const;

/**
 * Left in --out by every render. Owned directories are replaced only where this marker shows the CLI wrote
 * them, so `--out .` in the project (which has its own packer/) or any directory that happens to hold a
 * jobs/ is refused instead of emptied.
 */
export const OUTPUT_MARKER = ".rocketmq-system-jobs-render";

/** The output directory could not be written; the message names the path. */
export class OutputError extends Error {}

/**
 * Writes every artifact into a staging directory inside `out`, then swaps each owned subdirectory in, so a
 * file a previous render wrote (an ACL policy of a stack that has since turned ACLs off, a renamed job) does
 * not linger beside the new ones. The old directories are moved aside first and moved back if the swap
 * fails. A filesystem error becomes one line naming the path; the staging directory is removed either way.
 */
export function writeArtifacts(out: string, artifacts: Artifact[]): void {
  for (const artifact of artifacts) {
    const top = artifact.path.split("/")[0]!;
    if (!(OWNED_DIRS as readonly string[]).includes(top)) {
      throw new Error(`artifact ${artifact.path} is outside the directories the render CLI owns`);
    }
  }
  refuseForeignOutput(out);
  let staging: string | undefined;
  const movedAside: string[] = [];
  const movedIn: string[] = [];
  try {
    makeDirectories(out);
    staging = fs.mkdtempSync(path.join(out, ".render-"));
    for (const artifact of artifacts) {
      const target = path.join(staging, "new", ...artifact.path.split("/"));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, artifact.content);
    }
    fs.mkdirSync(path.join(staging, "old"));
    for (const dir of OWNED_DIRS) {
      if (!fs.existsSync(path.join(out, dir))) continue;
      fs.renameSync(path.join(out, dir), path.join(staging, "old", dir));
      movedAside.push(dir);
    }
    for (const dir of OWNED_DIRS) {
      if (!fs.existsSync(path.join(staging, "new", dir))) continue;
      fs.renameSync(path.join(staging, "new", dir), path.join(out, dir));
      movedIn.push(dir);
    }
    fs.writeFileSync(path.join(out, OUTPUT_MARKER), "Written by `npm run render` (rocketmq-system-jobs).\n");
  } catch (err) {
    if (staging !== undefined) {
      for (const dir of movedIn) fs.rmSync(path.join(out, dir), { recursive: true, force: true });
      for (const dir of movedAside) fs.renameSync(path.join(staging, "old", dir), path.join(out, dir));
    }
    throw ioError(err, out);
  } finally {
    if (staging !== undefined) fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * `mkdir -p` one level at a time. Node's `mkdirSync(dir, { recursive: true })` never returns where the kernel
 * answers ENOENT for a new child of a directory that exists (procfs, sysfs: `/proc/nope`): it creates the
 * parent (EEXIST, taken as done) and retries the child forever, at full CPU.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const directory of missing) fs.mkdirSync(directory);
}

/** Refuses an --out whose owned-looking directories the CLI did not write, or the project itself. */
function refuseForeignOutput(out: string): void {
  if (["Pulumi.yaml", "package.json"].some((file) => fs.existsSync(path.join(out, file)))) {
    throw new OutputError(`refusing to render into ${out}: it is a project directory; choose a dedicated --out`);
  }
  if (fs.existsSync(path.join(out, OUTPUT_MARKER))) return;
  const foreign = OWNED_DIRS.find((dir) => fs.existsSync(path.join(out, dir)));
  if (foreign !== undefined) {
    throw new OutputError(
      `refusing to replace ${path.join(out, foreign)}: ${out} was not written by this CLI (no ${OUTPUT_MARKER}); choose an empty or dedicated --out`,
    );
  }
}

/** `ENOTDIR: not a directory, mkdir '/dev/null/x'` → one line naming --out; anything else is a bug. */
function ioError(err: unknown, out: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== "string") return err;
  return new OutputError(`cannot write the output directory ${out}: ${(err as Error).message}`);
}
