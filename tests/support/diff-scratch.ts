// A scratch git repository holding a copy of this project, with tagged revisions for `npm run diff` to compare
// against: each test file that diffs builds its own (they run in parallel) and removes it in afterAll.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { diffCli } from "../../scripts/diff-cli";
import { PROJECT_DIR } from "./stack";

const PROMETHEUS_KEY = "  rocketmq-system-jobs:prometheus:\n";
// Every stack says where alerts go; the scratch stack sends them nowhere.
const ALERTING = "    alerting: { delivery: none, reason: test }\n";
export const STACK = `config:\n  rocketmq-system-jobs:clusterName: scratch\n${PROMETHEUS_KEY}${ALERTING}`;
const MARKER = '\nbase_only "marker" {\n  note = "only the base revision\'s template has this"\n}\n';

const OLDER_RULES_RENDER = `
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import "./render-original";

const dir = path.join(process.argv[process.argv.indexOf("--out") + 1]!, "prometheus");
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".rules.yml"))) {
  const doc = parse(fs.readFileSync(path.join(dir, file), "utf8"));
  doc.groups[0].rules.pop();
  fs.writeFileSync(path.join(dir, file), stringify(doc));
}
`;

export interface ScratchRepo {
  readonly dir: string;
  /** Pulumi.scratch.yaml in the working tree. */
  readonly stackFile: string;
  git(...args: string[]): string;
  /** Rewrites the stack file with `yaml` (indented config lines) added under `config:`. */
  writeStack(yaml?: string): void;
  /** `npm run diff -- --stack-file <stackFile> …`, in-process. */
  diff(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A user cache directory of the repository's own (XDG_CACHE_HOME), for its diffs' base renders. */
  readonly userCache: string;
  remove(): void;
}

/**
 * Tags: `valid` (the scratch stack file), `invalid` (a port out of range), `marker` (a jobspec template with a
 * block only this revision has), `older-rules` (a render CLI that drops the last alert). The working tree is as
 * at `valid`, with HEAD at `older-rules`.
 */
export function createScratchRepo(): ScratchRepo {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "diff-scratch-"));
  const userCache = fs.mkdtempSync(path.join(os.tmpdir(), "diff-scratch-cache-"));
  const stackFile = path.join(repo, "Pulumi.scratch.yaml");
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
  const commit = (tag: string): void => {
    git("add", "-A");
    git("commit", "-q", "-m", tag);
    git("tag", tag);
  };
  const writeStack = (yaml = ""): void => {
    const text = yaml.includes(PROMETHEUS_KEY)
      ? `config:\n  rocketmq-system-jobs:clusterName: scratch\n${yaml.replace(PROMETHEUS_KEY, PROMETHEUS_KEY + ALERTING)}`
      : STACK + yaml;
    fs.writeFileSync(stackFile, text);
  };

  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_DIR, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_DIR, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(repo, file));
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(repo, "node_modules"), "dir");
  git("init", "-q");
  git("config", "user.email", "test@example.invalid");
  git("config", "user.name", "diff test");
  writeStack();
  commit("valid");
  writeStack("  rocketmq-system-jobs:fabio:\n    prometheus:\n      proxyPort: 99999\n");
  commit("invalid");
  writeStack();
  const template = fs
    .readdirSync(path.join(repo, "jobspecs"))
    // The Fabios' template: the scratch stack renders it (it deploys no Alertmanager, whose template sorts first).
    .find((f) => f.startsWith("fabio") && fs.readFileSync(path.join(repo, "jobspecs", f), "utf8").includes('job "'));
  fs.appendFileSync(path.join(repo, "jobspecs", template!), MARKER);
  commit("marker");
  git("checkout", "-q", "valid", "--", ".");
  // A base whose renderer lacked an alert: the real render CLI, then the last rule of the rule file dropped.
  fs.renameSync(path.join(repo, "scripts", "render.ts"), path.join(repo, "scripts", "render-original.ts"));
  fs.writeFileSync(path.join(repo, "scripts", "render.ts"), OLDER_RULES_RENDER);
  commit("older-rules");
  // The working tree as at `valid`, with HEAD at `older-rules`.
  git("checkout", "-q", "valid", "--", ".");

  return {
    dir: repo,
    stackFile,
    git,
    writeStack,
    diff: async (...args) => {
      let stdout = "";
      let stderr = "";
      const code = await diffCli(["--stack-file", stackFile, ...args], {
        log: (line) => (stdout += `${line}\n`),
        error: (line) => (stderr += `${line}\n`),
      });
      return { code, stdout, stderr };
    },
    userCache,
    remove: () => {
      fs.rmSync(repo, { recursive: true, force: true });
      fs.rmSync(userCache, { recursive: true, force: true });
    },
  };
}

/**
 * The calling file's scratch repository: built before its tests, removed after them. Meanwhile the diffs of the
 * file (each runs in-process) keep their base renders in a user cache of the repository's own, not the user's.
 */
export function scratchRepoPerFile(): () => ScratchRepo {
  let scratch: ScratchRepo | undefined;
  const userCache = process.env.XDG_CACHE_HOME;
  beforeAll(() => {
    scratch = createScratchRepo();
    process.env.XDG_CACHE_HOME = scratch.userCache;
  }, 60_000);
  afterAll(() => {
    if (userCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = userCache;
    scratch?.remove();
  });
  return () => {
    if (scratch === undefined) throw new Error("the scratch repository is built in beforeAll");
    return scratch;
  };
}
