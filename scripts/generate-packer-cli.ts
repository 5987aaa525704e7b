// `npm run generate:packer`: writes packer/generated/<stack>/ for every Pulumi.<stack>.yaml, from the same
// renderer as the render CLI's <out>/packer/, and removes files and stack directories it no longer renders.
// The unit suite fails while the committed files differ from what this writes.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadStackFile, stackFileName, stacksAmong } from "../config";
import { resolveStack } from "../model";
import { renderImageFiles } from "../render";
import { EXIT, exitCodeFor, PROJECT_DIR, type Console } from "./cli-io";

export const USAGE = `Usage: npm run generate:packer [-- --json]

  --json       print what was written as JSON on stdout instead of one path per line
  -h, --help   show this help

Renders the agent config files of every stack file Pulumi.<stack>.yaml of the project into
packer/generated/<stack>/, and removes the files and stack directories it no longer renders. Every stack
is rendered (and so validated) before the first file is touched. Prints each path it writes on stdout.

Exit status (docs/cli.md): 0 done; 2 on bad usage or an invalid stack file (one line per problem, naming
the file and key; nothing is written).`;

/** What `--json` prints: per stack, the files written, relative to the project. */
export type GeneratePackerReport = Record<string, string[]>;

/** Runs the CLI in `projectDir` and returns its exit code: 0 done, 2 bad usage or invalid config. */
export function generatePackerCli(argv: string[], io: Console, projectDir = PROJECT_DIR): number {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    if (values.help) {
      io.log(USAGE);
      return EXIT.ok;
    }
    const report = generate(projectDir);
    if (values.json) io.log(JSON.stringify(report, null, 2));
    else for (const file of Object.values(report).flat()) io.log(file);
    return EXIT.ok;
  } catch (err) {
    return exitCodeFor(err, io, { usage: USAGE, userErrors: [ConfigError] });
  }
}

function generate(projectDir: string): GeneratePackerReport {
  const generatedDir = path.join(projectDir, "packer", "generated");
  // Everything is rendered (and so validated) before the first file is touched.
  const rendered = stacksAmong(fs.readdirSync(projectDir)).map((stack) => ({
    stack,
    files: renderImageFiles(
      resolveStack({ config: loadStackFile(path.join(projectDir, stackFileName(stack))), stack }),
    ),
  }));
  fs.mkdirSync(generatedDir, { recursive: true });
  for (const entry of fs.readdirSync(generatedDir)) {
    if (!rendered.some((r) => r.stack === entry)) fs.rmSync(path.join(generatedDir, entry), { recursive: true });
  }
  const report: GeneratePackerReport = {};
  for (const { stack, files } of rendered) {
    const dir = path.join(generatedDir, stack);
    fs.mkdirSync(dir, { recursive: true });
    const wanted = new Set(files.map((f) => path.join(dir, ...f.name.split("/"))));
    removeUnwanted(dir, wanted);
    report[stack] = files.map((file) => {
      const target = path.join(dir, ...file.name.split("/"));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
      return path.relative(projectDir, target);
    });
  }
  return report;
}

/** Removes every file under `dir` that is not wanted, and every directory left without a wanted file. */
function removeUnwanted(dir: string, wanted: ReadonlySet<string>): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removeUnwanted(entryPath, wanted);
      if (fs.readdirSync(entryPath).length === 0) fs.rmdirSync(entryPath);
    } else if (!wanted.has(entryPath)) {
      fs.rmSync(entryPath);
    }
  }
}
