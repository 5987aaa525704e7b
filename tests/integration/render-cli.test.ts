import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, it } from "vitest";
import { PROJECT_DIR, stackFile } from "../support/stack";

const run = promisify(execFile);

// Concurrent: each is an `npm run render` process of its own.
describe.concurrent("npm run render, as a user runs it", () => {
  it("writes the prod jobspecs and prints their paths", async ({ expect }) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-npm-"));
    const { stdout } = await run("npm", ["run", "--silent", "render", "--", "--stack", "prod", "--out", out], {
      cwd: PROJECT_DIR,
    });
    expect(stdout.trim().split("\n")).toContain(path.join(out, "jobs", "fabio-nameserver-index.nomad.hcl"));
  });

  it("exits non-zero with one line naming file and key, without a stack trace", async ({ expect }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-npm-"));
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(file, fs.readFileSync(stackFile("prod"), "utf8").replace("proxyPort: 9090", "proxyPort: 8080"));
    const failure = await run(
      "npm",
      ["run", "--silent", "render", "--", "--stack-file", file, "--out", path.join(dir, "out")],
      {
        cwd: PROJECT_DIR,
      },
    ).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.split("\n").filter((l) => l.startsWith("error:"))).toEqual([
      "error: Pulumi.bad.yaml: rocketmq-system-jobs:fabio.prometheus.proxyPort: port 8080 is already used by fabio.nameServerIndex.proxyPort on the same host",
    ]);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("exits 2 with one line naming an --out it cannot write, without a stack trace", async ({ expect }) => {
    const failure = await run("npm", ["run", "--silent", "render", "--", "--stack", "dev", "--out", "/dev/null/x"], {
      cwd: PROJECT_DIR,
    }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(2);
    const errors = failure?.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).toHaveLength(1);
    expect(errors?.[0]).toMatch(/^error: cannot write the output directory \/dev\/null\/x: ENOTDIR: /);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
