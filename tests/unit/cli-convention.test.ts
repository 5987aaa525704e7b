// The convention of docs/cli.md, held by all four CLIs: exit codes, stdout for the result, stderr for errors.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EXIT, exitWith } from "../../scripts/cli-io";
import { diffCli } from "../../scripts/diff-cli";
import { generatePackerCli } from "../../scripts/generate-packer-cli";
import { renderCli } from "../../scripts/render-cli";
import { verifyCli } from "../../scripts/verify-cli";
import { PROJECT_DIR, stackFile } from "../support/stack";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type Cli = (args: string[], io: { log(line: string): void; error(line: string): void }) => number | Promise<number>;

async function run(cli: Cli, ...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await cli(args, { log: (line) => (stdout += `${line}\n`), error: (line) => (stderr += `${line}\n`) });
  return { code, stdout, stderr };
}

/** A project directory holding one stack file with two independent mistakes. */
function projectWithBadStack(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-convention-"));
  const file = path.join(dir, "Pulumi.bad.yaml");
  const prod = fs.readFileSync(stackFile("prod"), "utf8");
  fs.writeFileSync(
    file,
    prod.replace("fabiolb/fabio:1.6.3", "fabiolb/fabio:latest").replace(/scrapeInterval: \S+/, "scrapeInterval: 5"),
  );
  return { dir, file };
}

const BAD_STACK_ERRORS = [
  'error: Pulumi.bad.yaml: rocketmq-system-jobs:fabio.image: "fabiolb/fabio:latest" is tagged latest; pin a version or a digest',
  "error: Pulumi.bad.yaml: rocketmq-system-jobs:prometheus.scrapeInterval: must be a Prometheus duration such as 15s, 5m or 15d; it is the number 5",
];

const { dir, file } = projectWithBadStack();
const CLIS: [string, Cli, string[]][] = [
  ["render", renderCli, ["--stack-file", file, "--out", path.join(dir, "out")]],
  ["diff", diffCli, ["--stack-file", file, "--base", "HEAD"]],
  ["verify", (args, io) => verifyCli(args, io, { CONSUL_HTTP_ADDR: "127.0.0.1:1" }), ["--stack-file", file]],
  ["generate:packer", (args, io) => generatePackerCli(args, io, dir), []],
];

describe("every CLI", () => {
  it.each(CLIS)(
    "%s exits 2 on invalid config, one stderr line per problem, nothing on stdout",
    async (_name, cli, args) => {
      const result = await run(cli, ...args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual(BAD_STACK_ERRORS);
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
      expect(fs.existsSync(path.join(dir, "packer"))).toBe(false);
    },
  );

  it.each(CLIS)("%s prints its usage on stdout with --help, exit 0, pointing at docs/cli.md", async (_name, cli) => {
    const result = await run(cli, "--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run /);
    expect(result.stdout).toContain("Exit status (docs/cli.md)");
    expect(result.stderr).toBe("");
  });

  it.each(CLIS)("%s exits 2 on an unknown option and explains its usage on stderr", async (_name, cli) => {
    const result = await run(cli, "--no-such-option");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: .*--no-such-option.*\n\nUsage: npm run /);
  });
});

describe("the stack selection of every CLI", () => {
  it("refuses a stack file given to --stack, pointing to --stack-file", async () => {
    const result = await run(renderCli, "--stack", "Pulumi.dev.yaml", "--out", path.join(dir, "out"));
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      'error: --stack "Pulumi.dev.yaml" is a stack file; give its stack name (--stack dev) or the file (--stack-file Pulumi.dev.yaml)',
    );
  });
});

describe("--json", () => {
  it("makes render print one JSON document on stdout naming every file written", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cli-json-"));
    const result = await run(renderCli, "--stack", "dev", "--out", out, "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { stack: string; out: string; files: string[] };
    expect(report.stack).toBe("dev");
    expect(report.out).toBe(out);
    expect(report.files).toContain("jobs/fabio-nameserver-index.nomad.hcl");
    for (const f of report.files) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
  });

  it("makes generate:packer print one JSON document on stdout, the files per stack", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "cli-json-"));
    fs.copyFileSync(stackFile("dev"), path.join(project, "Pulumi.dev.yaml"));
    const result = await run((args, io) => generatePackerCli(args, io, project), "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, string[]>;
    expect(Object.keys(report)).toEqual(["dev"]);
    const committed = fs.readdirSync(path.join(PROJECT_DIR, "packer", "generated", "dev"), { recursive: true });
    expect(report.dev!.length).toBeGreaterThan(0);
    for (const f of report.dev!) {
      expect(f.startsWith("packer/generated/dev/")).toBe(true);
      expect(committed).toContain(f.slice("packer/generated/dev/".length));
    }
  });
});

describe("an entry point", () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it("exits with the code its CLI returns", async () => {
    exitWith(() => EXIT.found);
    expect(process.exitCode).toBe(1);
    exitWith(Promise.resolve(EXIT.userError));
    await Promise.resolve();
    expect(process.exitCode).toBe(2);
  });

  it("exits 70 with the stack trace when its CLI throws, so a bug never reads as a failed check", async () => {
    const printed: unknown[] = [];
    vi.spyOn(console, "error").mockImplementation((err: unknown) => void printed.push(err));
    exitWith(() => {
      throw new TypeError("a bug");
    });
    expect(process.exitCode).toBe(70);
    process.exitCode = undefined;
    exitWith(Promise.reject(new TypeError("an async bug")));
    await new Promise((resolve) => setImmediate(resolve));
    expect(process.exitCode).toBe(70);
    expect(printed.map((err) => (err as Error).stack?.split("\n")[0])).toEqual([
      "TypeError: a bug",
      "TypeError: an async bug",
    ]);
  });
});
