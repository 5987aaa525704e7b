// The render CLI, callable in-process: reads its arguments (the stack selection through stack-args.ts) and the
// stack file, renders, and hands the artifacts to output-dir.ts, which owns how they replace an earlier render.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadStackFile } from "../config";
import { resolveStack } from "../model";
import { renderArtifacts, renderSummary } from "../render";
import { OutputError, writeArtifacts } from "./output-dir";
import { EXIT, exitCodeFor, type Console } from "./cli-io";
import { STACK_OPTIONS, stackSource, UsageError } from "./stack-args";

export const USAGE = `Usage: npm run render -- (--stack <name> | --stack-file <path>) --out <dir> [--json]

  --stack <name>        read Pulumi.<name>.yaml from the project directory
  --stack-file <path>   read this stack file instead
  --out <dir>           write jobs/<job>.nomad.hcl (and the other artifacts) under <dir>
  --json                print what was written as JSON on stdout instead of one path per line
  -h, --help            show this help

Prints each path it writes on stdout, then a summary for review on stderr (jobs and their ports, scrape
jobs, alerts, where alerts go). It replaces jobs/, prometheus/, alertmanager/, dashboards/, consul-acl/ and
packer/ under <dir> as a whole, so no file of an earlier render is left behind; anything else under <dir>
is left alone.

Exit status (docs/cli.md): 0 done; 2 on bad usage, invalid config (one line per problem, naming the file
and key; nothing is written) or a <dir> that cannot be written (one line naming the path).`;

/** What `--json` prints: the stack, the output directory and every file written, relative to it. */
export interface RenderReport {
  stack: string;
  out: string;
  files: string[];
}

/** Runs the CLI and returns its exit code: 0 done, 2 bad usage, invalid config or an unwritable output. */
export function renderCli(argv: string[], io: Console): number {
  try {
    render(argv, io);
    return EXIT.ok;
  } catch (err) {
    return exitCodeFor(err, io, { usage: USAGE, userErrors: [ConfigError, OutputError] });
  }
}

function render(argv: string[], io: Console): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STACK_OPTIONS,
      out: { type: "string" },
      json: { type: "boolean", default: false },
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
  const model = resolveStack({ config: loadStackFile(stackFile), stack, source: path.basename(stackFile) });
  const artifacts = renderArtifacts(model);

  const out = values.out;
  writeArtifacts(out, artifacts);
  const written = new Map(artifacts.map((a) => [a.path, path.join(out, ...a.path.split("/"))]));
  if (values.json) {
    const report: RenderReport = { stack, out, files: artifacts.map((a) => a.path) };
    io.log(JSON.stringify(report, null, 2));
  } else {
    for (const target of written.values()) io.log(target);
  }
  io.error(`\n${renderSummary(model, (artifactPath) => written.get(artifactPath) ?? "")}`);
}
