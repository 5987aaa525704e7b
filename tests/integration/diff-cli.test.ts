// `npm run diff` against revisions of a scratch git repository holding a copy of this project: the base side
// is rendered by spawning each revision's own render CLI, so these run here rather than in the unit tier.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCli } from "../../scripts/diff-cli";
import { PROJECT_DIR } from "../support/stack";

const PROMETHEUS_KEY = "  rocketmq-system-jobs:prometheus:\n";
// Every stack says where alerts go; the scratch stack sends them nowhere.
const ALERTING = "    alerting: { delivery: none, reason: test }\n";
const STACK = `config:\n  rocketmq-system-jobs:clusterName: scratch\n${PROMETHEUS_KEY}${ALERTING}`;
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

let repo: string;
let stackFile: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" });
}

function commit(tag: string): void {
  git("add", "-A");
  git("commit", "-q", "-m", tag);
  git("tag", tag);
}

/** The stack file with `yaml` (indented config lines) added under `config:`. */
function writeStack(yaml = ""): void {
  const text = yaml.includes(PROMETHEUS_KEY)
    ? `config:\n  rocketmq-system-jobs:clusterName: scratch\n${yaml.replace(PROMETHEUS_KEY, PROMETHEUS_KEY + ALERTING)}`
    : STACK + yaml;
  fs.writeFileSync(stackFile, text);
}

async function diff(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await diffCli(["--stack-file", stackFile, ...args], {
    log: (line) => (stdout += `${line}\n`),
    error: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "diff-scratch-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_DIR, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_DIR, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(repo, file));
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(repo, "node_modules"), "dir");
  stackFile = path.join(repo, "Pulumi.scratch.yaml");
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
  // The working tree as at `valid`, with HEAD at `marker`.
  git("checkout", "-q", "valid", "--", ".");
}, 60_000);

afterAll(() => {
  if (repo !== undefined) fs.rmSync(repo, { recursive: true, force: true });
});

describe("npm run diff on a scratch repository", () => {
  it("is one line when the stack renders the same, and exit 0 even with --exit-code", async () => {
    const result = await diff("--base", "valid", "--exit-code");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      /^No changes: stack "scratch" renders the same at valid \([0-9a-f]{7}\) and in the working tree\.\nalerts go to: nowhere \(delivery: none; test\); they show only on Prometheus' \/alerts page\n$/,
    );
  });

  it("turns one changed port into a few lines naming its path and both values, exit 1 with --exit-code", async () => {
    writeStack("  rocketmq-system-jobs:fabio:\n    prometheus:\n      proxyPort: 9091\n");
    const { code, stdout } = await diff("--base", "valid", "--exit-code");
    expect(code).toBe(1);
    expect(stdout).toContain(
      '~ job "fabio-prometheus" › group "fabio" › network › port "proxy" › static: 9090 → 9091\n',
    );
    expect(stdout).toContain("moves its listener 9090 → 9091 on every NameServer host");
    expect(stdout.trim().split("\n").length).toBeLessThanOrEqual(16);
  });

  it("flags a tag-prefix change as re-routing every NameServer lookup", async () => {
    writeStack("  rocketmq-system-jobs:fabio:\n    nameServerIndex:\n      tagPrefix: rmq-ns-\n");
    const { stdout } = await diff("--base", "valid");
    expect(stdout).toContain(
      '! tag prefix of job "fabio-nameserver-index" changes "scratch.rmq-nsindex-" → "scratch.rmq-ns-": every NameServer lookup is re-routed',
    );
  });

  it("shows a scrape interval change in prometheus.yml and as a line of the Prometheus template's data", async () => {
    writeStack("  rocketmq-system-jobs:prometheus:\n    scrapeInterval: 30s\n");
    const { stdout } = await diff("--base", "valid");
    expect(stdout).toContain('  ~ global › scrape_interval: "15s" → "30s"\n');
    expect(stdout).toContain(
      '  ~ job "prometheus" › group "prometheus" › task "prometheus" › template "secrets/prometheus.yml" › data:\n',
    );
  });

  it("reports a job removed and its successor added, as JSON", async () => {
    writeStack("  rocketmq-system-jobs:prometheus:\n    jobName: metrics\n");
    const { stdout } = await diff("--base", "valid", "--json");
    const report = JSON.parse(stdout) as { artifacts: { path: string; status: string }[] };
    expect(report.artifacts.filter((a) => a.path.startsWith("jobs/"))).toEqual([
      { path: "jobs/metrics.nomad.hcl", status: "added" },
      { path: "jobs/prometheus.nomad.hcl", status: "removed" },
    ]);
  });

  it("renders the base with the base revision's own code", async () => {
    writeStack();
    const { stdout } = await diff("--base", "marker", "--json");
    const report = JSON.parse(stdout) as {
      artifacts: { path: string; changes?: { kind: string; path: string[] }[] }[];
    };
    const removed = report.artifacts.flatMap((a) => a.changes ?? []).filter((c) => c.kind === "removed");
    // One template may render several jobs (the two Fabios share one): each lost the base's block, nothing else.
    expect(removed.length).toBeGreaterThan(0);
    for (const change of removed) expect(change.path).toEqual(['base_only "marker"']);
  });

  it("shows an alert the base's renderer lacked as one alert added, with its fields", async () => {
    writeStack();
    const { stdout } = await diff("--base", "older-rules", "--json");
    const report = JSON.parse(stdout) as {
      artifacts: { path: string; status: string; changes?: { kind: string; path: string[]; value: unknown }[] }[];
    };
    const rules = report.artifacts.filter((a) => a.path.startsWith("prometheus/"));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      path: expect.stringMatching(/^prometheus\/[\w-]+\.rules\.yml$/),
      status: "changed",
    });
    const changes = rules[0]!.changes!;
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      kind: "added",
      path: [expect.stringMatching(/^groups "/), expect.stringMatching(/^alert "\w+"$/)],
    });
    expect(changes[0]!.value).toEqual(expect.objectContaining({ expr: expect.any(String), for: expect.any(String) }));
  });

  it("says in one line that the base's config is invalid, and shows everything as added", async () => {
    writeStack();
    const { code, stdout } = await diff("--base", "invalid");
    expect(code).toBe(0);
    const [first, ...rest] = stdout.split("\n");
    expect(first).toMatch(
      /^! base invalid \([0-9a-f]{7}\): Pulumi\.scratch\.yaml: rocketmq-system-jobs:fabio\.prometheus\.proxyPort: .*; everything is shown as added$/,
    );
    expect(rest.join("\n")).toContain("jobs/fabio-prometheus.nomad.hcl (added)");
    expect(rest.join("\n")).not.toMatch(/\((removed|changed)\)/);
  });

  it("says in one line that the base has no such stack file", async () => {
    const fresh = path.join(repo, "Pulumi.fresh.yaml");
    fs.writeFileSync(fresh, STACK);
    try {
      let stdout = "";
      const code = await diffCli(["--stack-file", fresh, "--base", "valid", "--markdown"], {
        log: (line) => (stdout += `${line}\n`),
        error: () => undefined,
      });
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /> \*\*Note:\*\* base valid \([0-9a-f]{7}\): it has no Pulumi\.fresh\.yaml; everything is shown as added/,
      );
      expect(stdout).toContain("- <code>jobs/prometheus.nomad.hcl (added)</code>");
    } finally {
      fs.rmSync(fresh);
    }
  });

  it("never touches the working tree, the index or the repository's worktrees", async () => {
    writeStack("  rocketmq-system-jobs:fabio:\n    prometheus:\n      proxyPort: 9091\n");
    const before = [git("status", "--porcelain"), git("worktree", "list"), git("stash", "list")];
    await diff("--base", "marker");
    expect([git("status", "--porcelain"), git("worktree", "list"), git("stash", "list")]).toEqual(before);
  });

  it("refuses an unknown revision in one line, exit 2", async () => {
    writeStack();
    const { code, stderr } = await diff("--base", "no-such-branch");
    expect(code).toBe(2);
    expect(stderr).toBe(`error: --base no-such-branch: no such commit in ${fs.realpathSync(repo)}\n`);
  });

  it("names the file read in every header on both sides, so custom.yaml renders the same as its base", async () => {
    const custom = path.join(repo, "custom.yaml");
    fs.copyFileSync(stackFile, custom);
    git("add", "custom.yaml");
    git("commit", "-q", "-m", "custom");
    git("tag", "custom");
    let stdout = "";
    const code = await diffCli(["--stack-file", custom, "--base", "custom"], {
      log: (line) => (stdout += `${line}\n`),
      error: (line) => (stdout += `${line}\n`),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No changes: stack "custom" renders the same at custom \([0-9a-f]{7}\)/);
  });
});
