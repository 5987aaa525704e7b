import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diffCli } from "../../scripts/diff-cli";

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await diffCli(args, {
    log: (line) => (stdout += `${line}\n`),
    error: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}

describe("the diff CLI's arguments", () => {
  it("documents every option in --help", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    for (const option of ["--stack", "--stack-file", "--base", "--markdown", "--json", "--exit-code"]) {
      expect(stdout).toContain(option);
    }
  });

  it.each([
    [["--stack", "dev"], "error: --base <git-ref> is required"],
    [["--base", "main"], "error: give exactly one of --stack or --stack-file"],
    [
      ["--stack", "../Pulumi.dev", "--base", "main"],
      'error: --stack "../Pulumi.dev" is not a stack name (letters, digits, "_", "." and "-"); use --stack-file for a file elsewhere',
    ],
    [["--stack", "dev", "--base", "main", "--markdown", "--json"], "error: give at most one of --markdown and --json"],
  ])("refuses %j with exit 2 and one line", async (args, message) => {
    const { code, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(message);
  });

  it("reports an invalid working-tree config in the usual one line, exit 2, before looking at the base", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-cli-"));
    try {
      const file = path.join(dir, "Pulumi.bad.yaml");
      fs.writeFileSync(
        file,
        "config:\n  rocketmq-system-jobs:clusterName: bad\n  rocketmq-system-jobs:fabio:\n    prometheus:\n      proxyPort: 99999\n" +
          "  rocketmq-system-jobs:prometheus:\n    alerting:\n      delivery: none\n      reason: a test stack\n",
      );
      // No git repository here and no such revision: the config error must come first.
      const { code, stdout, stderr } = await run("--stack-file", file, "--base", "no-such-ref");
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^error: Pulumi\.bad\.yaml: rocketmq-system-jobs:fabio\.prometheus\.proxyPort: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a stack file outside any git repository in one line, exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-cli-"));
    try {
      const file = path.join(dir, "Pulumi.x.yaml");
      fs.writeFileSync(
        file,
        "config:\n  rocketmq-system-jobs:clusterName: x\n  rocketmq-system-jobs:prometheus:\n    alerting: { delivery: none, reason: test }\n",
      );
      const { code, stderr } = await run("--stack-file", file, "--base", "main");
      expect(code).toBe(2);
      expect(stderr).toBe(`error: ${file} is not in a git repository, so it has no base revision\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
