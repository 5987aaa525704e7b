// `npm run diff` of working-tree changes against a revision of a scratch git repository holding a copy of this
// project: the base side is rendered by spawning that revision's own render CLI, so these run here rather than
// in the unit tier (the comparisons themselves are unit-tested). diff-cli-base.test.ts covers the base side.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { baseRenderCacheDir } from "../../scripts/base-render-cache";
import { scratchRepoPerFile } from "../support/diff-scratch";

const repo = scratchRepoPerFile();

describe("npm run diff of working-tree changes on a scratch repository", () => {
  it("is one line when the stack renders the same, and exit 0 even with --exit-code", async () => {
    const result = await repo().diff("--base", "valid", "--exit-code");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      /^No changes: stack "scratch" renders the same at valid \([0-9a-f]{7}\) and in the working tree\.\nalerts go to: nowhere \(delivery: none; test\); they show only on Prometheus' \/alerts page\n$/,
    );
  });

  it("turns one changed port into a few lines naming its path and both values, exit 1 with --exit-code", async () => {
    repo().writeStack("  rocketmq-system-jobs:fabio:\n    prometheus:\n      proxyPort: 9091\n");
    const { code, stdout } = await repo().diff("--base", "valid", "--exit-code");
    expect(code).toBe(1);
    expect(stdout).toContain(
      '~ job "fabio-prometheus" › group "fabio" › network › port "proxy" › static: 9090 → 9091\n',
    );
    expect(stdout).toContain("moves its listener 9090 → 9091 on every NameServer host");
    expect(stdout.trim().split("\n").length).toBeLessThanOrEqual(16);
  });

  it("flags a tag-prefix change as re-routing every NameServer lookup", async () => {
    repo().writeStack("  rocketmq-system-jobs:fabio:\n    nameServerIndex:\n      tagPrefix: rmq-ns-\n");
    const { stdout } = await repo().diff("--base", "valid");
    expect(stdout).toContain(
      '! tag prefix of job "fabio-nameserver-index" changes "scratch.rmq-nsindex-" → "scratch.rmq-ns-": every NameServer lookup is re-routed',
    );
  });

  it("shows a scrape interval change in prometheus.yml and as a line of the Prometheus template's data", async () => {
    repo().writeStack("  rocketmq-system-jobs:prometheus:\n    scrapeInterval: 30s\n");
    const { stdout } = await repo().diff("--base", "valid");
    expect(stdout).toContain('  ~ global › scrape_interval: "15s" → "30s"\n');
    expect(stdout).toContain(
      '  ~ job "prometheus" › group "prometheus" › task "prometheus" › template "secrets/prometheus.yml" › data:\n',
    );
  });

  it("reports a job removed and its successor added, as JSON", async () => {
    repo().writeStack("  rocketmq-system-jobs:prometheus:\n    jobName: metrics\n");
    const { stdout } = await repo().diff("--base", "valid", "--json");
    const report = JSON.parse(stdout) as { artifacts: { path: string; status: string }[] };
    expect(report.artifacts.filter((a) => a.path.startsWith("jobs/"))).toEqual([
      { path: "jobs/metrics.nomad.hcl", status: "added" },
      { path: "jobs/prometheus.nomad.hcl", status: "removed" },
    ]);
  });

  it("never touches the working tree, the index or the repository's worktrees", async () => {
    repo().writeStack("  rocketmq-system-jobs:fabio:\n    prometheus:\n      proxyPort: 9091\n");
    const before = [repo().git("status", "--porcelain"), repo().git("worktree", "list"), repo().git("stash", "list")];
    await repo().diff("--base", "marker");
    expect([repo().git("status", "--porcelain"), repo().git("worktree", "list"), repo().git("stash", "list")]).toEqual(
      before,
    );
  });

  it("takes the base from the render an earlier diff against the same revision left in the cache", async () => {
    repo().writeStack();
    await repo().diff("--base", "valid");
    const commit = repo().git("rev-parse", "valid").trim();
    const dir = baseRenderCacheDir();
    const entryFile = fs
      .readdirSync(dir)
      .map((name) => path.join(dir, name))
      .find((file) => (JSON.parse(fs.readFileSync(file, "utf8")) as { commit: string }).commit === commit)!;
    const entry = JSON.parse(fs.readFileSync(entryFile, "utf8")) as { files: [string, string][] };
    // The kept prometheus.yml says 99s where the revision renders 15s: only a diff that reads the cache shows it.
    entry.files = entry.files.map(([file, text]) => [
      file,
      text.replace("scrape_interval: 15s", "scrape_interval: 99s"),
    ]);
    fs.writeFileSync(entryFile, JSON.stringify(entry));
    try {
      const { stdout } = await repo().diff("--base", "valid");
      expect(stdout).toContain('  ~ global › scrape_interval: "99s" → "15s"\n');
    } finally {
      fs.rmSync(entryFile);
    }
  });
});
