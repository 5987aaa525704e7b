// The render CLI's logic, callable in-process: writes every artifact of a stack for review.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadStackFile } from "../config";
import { renderJobs } from "../render";
import { jobArtifactPath, renderArtifacts, type Artifact } from "../render/artifacts";
import { renderSummary } from "../render/summary";
import { isUsageError, stackSource, UsageError } from "./stack-args";

export const USAGE = `Usage: npm run render -- (--stack <name> | --stack-file <path>) --out <dir>

  --stack <name>        read Pulumi.<name>.yaml from the project directory
  --stack-file <path>   read this stack file instead
  --out <dir>           write jobs/<job>.nomad.hcl (and the other artifacts) under <dir>
  -h, --help            show this help

Prints each path it writes on stdout, then a summary for review on stderr (jobs and their ports, scrape
jobs, alerts). It replaces jobs/, prometheus/, consul-acl/ and packer/ under <dir> as a whole, so no file
of an earlier render is left behind; anything else under <dir> is left alone. On invalid config it exits 1,
names the file and key, and writes nothing; when <dir> cannot be written it exits 1 naming the path.`;

/** The subdirectories of --out the CLI owns: each is replaced as a whole on every render. */
export const OWNED_DIRS = ["jobs", "prometheus", "consul-acl", "packer"] as const;

/**
 * Left in --out by every render. Owned directories are replaced only where this marker shows the CLI wrote
 * them, so `--out .` in the project (which has its own packer/) or any directory that happens to hold a
 * jobs/ is refused instead of emptied.
 */
export const OUTPUT_MARKER = ".rocketmq-system-jobs-render";

export interface Console {
  log(line: string): void;
  error(line: string): void;
}

/** The output directory could not be written; the message names the path. */
class OutputError extends Error {}

/** Runs the CLI and returns its exit code: 0 done, 1 invalid config or unwritable output, 2 bad usage. */
export function renderCli(argv: string[], io: Console): number {
  try {
    render(argv, io);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof OutputError) {
      io.error(`error: ${err.message}`);
      return 1;
    }
    if (isUsageError(err)) {
      io.error(`error: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

function render(argv: string[], io: Console): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      "stack-file": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    io.log(USAGE);
    return;
  }
  const { file: stackFile, stack } = stackSource(values);
  if (values.out === undefined) throw new UsageError("--out <dir> is required");

  // Everything is rendered (and so validated) before the first file is written.
  const cfg = loadStackFile(stackFile);
  const artifacts = renderArtifacts(cfg, stack, path.basename(stackFile));

  const out = values.out;
  writeArtifacts(out, artifacts);
  const written = new Map(artifacts.map((a) => [a.path, path.join(out, ...a.path.split("/"))]));
  for (const target of written.values()) io.log(target);
  const fileOf = (jobName: string) => written.get(jobArtifactPath(jobName)) ?? "";
  io.error(`\n${renderSummary(cfg, renderJobs(cfg, stack, path.basename(stackFile)), fileOf)}`);
}

/**
 * Writes every artifact into a staging directory inside `out`, then swaps each owned subdirectory in, so a
 * file a previous render wrote (an ACL policy of a stack that has since turned ACLs off, a renamed job) does
 * not linger beside the new ones. The old directories are moved aside first and moved back if the swap
 * fails. A filesystem error becomes one line naming the path; the staging directory is removed either way.
 */
function writeArtifacts(out: string, artifacts: Artifact[]): void {
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
    fs.mkdirSync(out, { recursive: true });
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
