// `npm run diff` rendering the base revision of a scratch git repository with that revision's own code and stack
// file: a renderer that differs, an invalid or missing stack file, an unknown revision. diff-cli.test.ts covers
// working-tree changes.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diffCli } from "../../scripts/diff-cli";
import { scratchRepoPerFile, STACK } from "../support/diff-scratch";

const repo = scratchRepoPerFile();

describe("npm run diff rendering the base revision of a scratch repository", () => {
  it("renders the base with the base revision's own code", async () => {
    repo().writeStack();
    const { stdout } = await repo().diff("--base", "marker", "--json");
    const report = JSON.parse(stdout) as {
      artifacts: { path: string; changes?: { kind: string; path: string[] }[] }[];
    };
    const removed = report.artifacts.flatMap((a) => a.changes ?? []).filter((c) => c.kind === "removed");
    // One template may render several jobs (the two Fabios share one): each lost the base's block, nothing else.
    expect(removed.length).toBeGreaterThan(0);
    for (const change of removed) expect(change.path).toEqual(['base_only "marker"']);
  });

  it("shows an alert the base's renderer lacked as one alert added, with its fields", async () => {
    repo().writeStack();
    const { stdout } = await repo().diff("--base", "older-rules", "--json");
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
    repo().writeStack();
    const { code, stdout } = await repo().diff("--base", "invalid");
    expect(code).toBe(0);
    const [first, ...rest] = stdout.split("\n");
    expect(first).toMatch(
      /^! base invalid \([0-9a-f]{7}\): Pulumi\.scratch\.yaml: rocketmq-system-jobs:fabio\.prometheus\.proxyPort: .*; everything is shown as added$/,
    );
    expect(rest.join("\n")).toContain("jobs/fabio-prometheus.nomad.hcl (added)");
    expect(rest.join("\n")).not.toMatch(/\((removed|changed)\)/);
  });

  it("says in one line that the base has no such stack file", async () => {
    const fresh = path.join(repo().dir, "Pulumi.fresh.yaml");
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

  it("refuses an unknown revision in one line, exit 2", async () => {
    repo().writeStack();
    const { code, stderr } = await repo().diff("--base", "no-such-branch");
    expect(code).toBe(2);
    expect(stderr).toBe(`error: --base no-such-branch: no such commit in ${fs.realpathSync(repo().dir)}\n`);
  });

  it("names the file read in every header on both sides, so custom.yaml renders the same as its base", async () => {
    const custom = path.join(repo().dir, "custom.yaml");
    fs.copyFileSync(repo().stackFile, custom);
    repo().git("add", "custom.yaml");
    repo().git("commit", "-q", "-m", "custom");
    repo().git("tag", "custom");
    let stdout = "";
    const code = await diffCli(["--stack-file", custom, "--base", "custom"], {
      log: (line) => (stdout += `${line}\n`),
      error: (line) => (stdout += `${line}\n`),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No changes: stack "custom" renders the same at custom \([0-9a-f]{7}\)/);
  });
});
