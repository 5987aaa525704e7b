// Render CLI: writes every artifact of a stack for review, without the Pulumi engine.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadStackFile } from "../config";
import { renderArtifacts } from "../render/artifacts";

const USAGE = `Usage: npm run render -- (--stack <name> | --stack-file <path>) --out <dir>

  --stack <name>        read Pulumi.<name>.yaml from the project directory
  --stack-file <path>   read this stack file instead
  --out <dir>           write jobs/<job>.nomad.hcl (and the other artifacts) under <dir>
  -h, --help            show this help

Prints each path it writes. On invalid config it exits 1, names the file and key, and writes nothing.`;

const PROJECT_DIR = path.resolve(__dirname, "..");

class UsageError extends Error {}

function main(argv: string[]): void {
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
    console.log(USAGE);
    return;
  }
  if ((values.stack === undefined) === (values["stack-file"] === undefined)) {
    throw new UsageError("give exactly one of --stack or --stack-file");
  }
  if (values.out === undefined) throw new UsageError("--out <dir> is required");

  const stackFile = values["stack-file"] ?? path.join(PROJECT_DIR, `Pulumi.${values.stack}.yaml`);
  const stack = values.stack ?? stackNameOf(stackFile);
  const artifacts = renderArtifacts(loadStackFile(stackFile), stack);

  for (const artifact of artifacts) {
    const target = path.join(values.out, ...artifact.path.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, artifact.content);
    console.log(target);
  }
}

/** `Pulumi.prod.yaml` → `prod`; any other file name → its base name without extension. */
function stackNameOf(file: string): string {
  const base = path.basename(file);
  return /^Pulumi\.(.+)\.ya?ml$/.exec(base)?.[1] ?? base.replace(/\.ya?ml$/, "");
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}
