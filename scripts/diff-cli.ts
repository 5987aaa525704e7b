// The diff CLI's logic, callable in-process: what a change deploys, artifact by artifact, against a git revision.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadStackFile } from "../config";
import { compareRenders, consequencesOf, formatMarkdown, formatText, hasChanges, type DiffReport } from "../diff";
import { resolveStack } from "../model";
import { alertDeliveryLine, renderArtifacts } from "../render";
import { BaseError, renderAtBase } from "./base-render";
import { EXIT, exitCodeFor, PROJECT_DIR, type Console } from "./cli-io";
import { STACK_OPTIONS, stackSource, UsageError } from "./stack-args";

export const USAGE = `Usage: npm run diff -- (--stack <name> | --stack-file <path>) --base <git-ref> [options]

  --stack <name>        the stack file Pulumi.<name>.yaml of the project directory
  --stack-file <path>   this stack file instead (it must be inside a git repository)
  --base <git-ref>      the revision to compare with (a branch, tag or commit: origin/main, HEAD~1)
  --markdown            print a pull-request comment (collapsible per artifact, cut to GitHub's size)
  --json                print the diff as JSON, for tools
  --exit-code           exit 1 when anything differs, like git diff --exit-code
  -h, --help            show this help

Renders the stack twice and prints only what differs, per artifact of the render CLI: the working tree's
files, and the base revision's, rendered by that revision's own code (its tree is exported with git archive
into a temporary directory and its \`npm run render\` runs there with this checkout's node_modules; the
working tree is never touched; a base render is kept in ~/.cache/rocketmq-system-jobs/base-renders and reused for
the same revision, stack file and node_modules). Jobspecs are parsed with HashiCorp's HCL parser and compared as structure,
named by path as \`nomad job plan\` does; a template's data, and any multi-line value, as a line diff.
prometheus.yml is compared per scrape job, the rules per alert, agent files per block, ACL policies per rule.
Lines starting with ! say what the change does to running allocations (restarts, moved listeners,
re-routed lookups).

Exit status (docs/cli.md): 0 done (or 1 with --exit-code when something differs); 2 on bad usage, an
unknown revision or an invalid working-tree config (one line per problem, naming the file and key). A base
whose stack file is missing or invalid is reported in one line and everything is shown as added.`;

export interface DiffIo extends Console {
  /** Whether the terminal output may be coloured (stdout is a TTY and NO_COLOR is unset). */
  colour?: boolean;
}

/** Runs the CLI and returns its exit code. */
export async function diffCli(argv: string[], io: DiffIo): Promise<number> {
  try {
    return await diff(argv, io);
  } catch (err) {
    return exitCodeFor(err, io, { usage: USAGE, userErrors: [ConfigError, BaseError] });
  }
}

async function diff(argv: string[], io: DiffIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STACK_OPTIONS,
      base: { type: "string" },
      markdown: { type: "boolean" },
      json: { type: "boolean" },
      "exit-code": { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    io.log(USAGE);
    return EXIT.ok;
  }
  const { file: stackFile, stack } = stackSource(values);
  if (values.base === undefined) throw new UsageError("--base <git-ref> is required");
  if (values.markdown && values.json) throw new UsageError("give at most one of --markdown and --json");

  // The working tree first: an invalid config is the user's to fix before any base is rendered.
  // Headers name the file read, as the base render (`render --stack-file`) names its copy of it.
  const model = resolveStack({ config: loadStackFile(stackFile), stack, source: path.basename(stackFile) });
  const head = new Map(renderArtifacts(model).map((a) => [a.path, a.content]));
  const base = renderAtBase({ stackFile, ref: values.base, nodeModules: path.join(PROJECT_DIR, "node_modules") });

  const comparison = await compareRenders(base.tree ?? new Map(), head);
  const report: DiffReport = {
    stack,
    base: { ref: values.base, commit: base.commit, ...(base.tree === undefined ? { note: base.why } : {}) },
    consequences: consequencesOf(comparison),
    artifacts: comparison.artifacts,
    alertDelivery: alertDeliveryLine(model.config.prometheus.alerting, model.clusterTag),
  };

  if (values.json) io.log(JSON.stringify(report, null, 2));
  else if (values.markdown) {
    const which = values.stack !== undefined ? `--stack ${values.stack}` : `--stack-file ${values["stack-file"]}`;
    io.log(formatMarkdown(report, { rerun: `npm run diff -- ${which} --base ${values.base}` }));
  } else io.log(formatText(report, { colour: io.colour === true }));
  return values["exit-code"] && hasChanges(report) ? EXIT.found : EXIT.ok;
}
