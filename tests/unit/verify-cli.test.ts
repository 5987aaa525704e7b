import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyCli, type VerifyEnv } from "../../scripts/verify-cli";
import { freePort } from "../support/processes";

async function verify(env: VerifyEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = { log: (line: string) => (stdout += `${line}\n`), error: (line: string) => (stderr += `${line}\n`) };
  const code = await verifyCli(args, io, env);
  return { code, stdout, stderr };
}

describe("the verify CLI", () => {
  it("documents every flag and the environment it reads in --help", async () => {
    const { code, stdout } = await verify({}, "--help");
    expect(code).toBe(0);
    for (const text of [
      "--stack <name>",
      "--stack-file <path>",
      "--json",
      "--timeout <s>",
      "--request-timeout <s>",
      "--help",
      "CONSUL_HTTP_ADDR",
      "CONSUL_HTTP_TOKEN",
      "NOMAD_ADDR",
      "NOMAD_TOKEN",
    ])
      expect(stdout).toContain(text);
  });

  it.each([
    [[], "give exactly one of --stack or --stack-file"],
    [["--stack", "dev", "--stack-file", "x.yaml"], "give exactly one of --stack or --stack-file"],
    [["--stack", ".."], '--stack ".." is not a stack name'],
    [["--stack", "dev", "--timeout", "0"], "--timeout must be a number of seconds above 0"],
    [["--stack", "dev", "--request-timeout", "1s"], "--request-timeout must be a number of seconds above 0"],
    [["--stack", "dev", "--bogus"], "Unknown option '--bogus'"],
  ])("exits 2 with the usage for %j", async (args, message) => {
    const { code, stderr, stdout } = await verify({ CONSUL_HTTP_ADDR: "127.0.0.1:8500" }, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain("Usage: npm run verify");
    expect(stdout).toBe("");
  });

  it("exits 2 naming the variable when Consul's address is neither set nor in the stack", async () => {
    const { code, stderr } = await verify({}, "--stack", "dev");
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(
      "error: set CONSUL_HTTP_ADDR to the Consul HTTP API (the stack sets no consul.acl.apiAddress)",
    );
    expect((await verify({ CONSUL_HTTP_ADDR: "ftp://x" }, "--stack", "dev")).stderr).toContain(
      "CONSUL_HTTP_ADDR must be an http:// or https:// address",
    );
  });

  it("exits 2 on invalid config with one line naming the stack file and key", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-cli-"));
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(
      file,
      "config:\n  rocketmq-system-jobs:clusterName: bad\n  rocketmq-system-jobs:fabio:\n    nope: 1\n" +
        "  rocketmq-system-jobs:prometheus:\n    alerting:\n      delivery: none\n      reason: a test stack\n",
    );
    const { code, stderr } = await verify({ CONSUL_HTTP_ADDR: "127.0.0.1:8500" }, "--stack-file", file);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      "error: Pulumi.bad.yaml: rocketmq-system-jobs:fabio.nope: is not a known setting (check the spelling; the settings here are image, nameServerIndex, prometheus)",
    );
    fs.rmSync(dir, { recursive: true });
  });

  it("fails (exit 1) with the Consul API named when Consul is unreachable, without printing the token", async () => {
    const port = await freePort(); // nothing listens there
    const env = { CONSUL_HTTP_ADDR: `127.0.0.1:${port}`, CONSUL_HTTP_TOKEN: "tok-5e3c" };
    const { code, stdout, stderr } = await verify(env, "--stack", "prod", "--json", "--request-timeout", "2");
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      stack: "prod",
      passed: false,
      checks: [
        {
          check: "consul api",
          host: `http://127.0.0.1:${port}`,
          result: "fail",
          detail: `GET http://127.0.0.1:${port}/v1/health/service/fabio-nameserver-index?tag=cluster-prod: unreachable (ECONNREFUSED)`,
        },
      ],
    });
    expect(stderr).toContain(`[  1] FAIL consul api @ http://127.0.0.1:${port}`);
    expect(`${stdout}${stderr}`).not.toContain("tok-5e3c");
  });
});
