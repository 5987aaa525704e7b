import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { OUTPUT_MARKER } from "../../scripts/output-dir";
import { renderCli } from "../../scripts/render-cli";
import { loadStack, PROJECT_DIR, stackFile, modelOf } from "../support/stack";
import { EXPECTED_ALERTS } from "../support/alerts";
import { renderArtifacts, renderJobs } from "../../render";
import { fabioPropertiesOf } from "../support/fabio-task";

/** Runs the CLI in-process; a promise, like the spawned CLI the integration tests run. */
function render(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = renderCli(args, { log: (line) => (stdout += `${line}\n`), error: (line) => (stderr += `${line}\n`) });
  return Promise.resolve({ code, stdout, stderr });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "render-cli-"));
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe("the render CLI", () => {
  it("writes one jobspec per Nomad job for --stack and prints each path", async () => {
    const out = tempDir();
    const result = await render("--stack", "prod", "--out", out);
    expect(result.code).toBe(0);
    const expected = renderArtifacts(modelOf(loadStack("prod"), "prod"));
    expect(filesUnder(out)).toEqual([OUTPUT_MARKER, ...expected.map((a) => a.path)].sort());
    expect(result.stdout.trim().split("\n")).toEqual(expected.map((a) => path.join(out, a.path)));
    for (const artifact of expected) {
      expect(fs.readFileSync(path.join(out, artifact.path), "utf8")).toBe(artifact.content);
    }
  });

  it("writes each Fabio's fabio.properties beside its jobspec, the text its template stanza writes", async () => {
    const out = tempDir();
    expect((await render("--stack", "prod", "--out", out)).code).toBe(0);
    const jobs = renderJobs(modelOf(loadStack("prod"), "prod")).filter((job) => job.kind === "fabio");
    expect(jobs.map((job) => job.name)).toEqual(["fabio-nameserver-index", "fabio-prometheus"]);
    for (const job of jobs) {
      const written = fs.readFileSync(path.join(out, "jobs", `${job.name}.fabio.properties`), "utf8");
      expect(written).toBe(await fabioPropertiesOf(job));
      expect(written).toContain("registry.consul.tagprefix = prod.");
    }
  });

  it("writes a manifest naming each job's kind, jobspec and Fabio properties", async () => {
    const out = tempDir();
    expect((await render("--stack", "prod", "--out", out)).code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "jobs", "manifest.json"), "utf8")) as {
      stack: string;
      source: string;
      jobs: { name: string; kind: string; type: string; jobspec: string; onNameServerHosts: boolean; fabio?: object }[];
    };
    expect([manifest.stack, manifest.source]).toEqual(["prod", "Pulumi.prod.yaml"]);
    expect(manifest.jobs.map((job) => ({ ...job, fabio: job.fabio !== undefined }))).toEqual([
      {
        name: "fabio-nameserver-index",
        kind: "fabio",
        type: "system",
        jobspec: "jobs/fabio-nameserver-index.nomad.hcl",
        onNameServerHosts: true,
        fabio: true,
      },
      {
        name: "fabio-prometheus",
        kind: "fabio",
        type: "system",
        jobspec: "jobs/fabio-prometheus.nomad.hcl",
        onNameServerHosts: true,
        fabio: true,
      },
      {
        name: "prometheus",
        kind: "prometheus",
        type: "service",
        jobspec: "jobs/prometheus.nomad.hcl",
        onNameServerHosts: false,
        fabio: false,
      },
      {
        name: "alertmanager",
        kind: "alertmanager",
        type: "service",
        jobspec: "jobs/alertmanager.nomad.hcl",
        onNameServerHosts: false,
        fabio: false,
      },
    ]);
    for (const job of manifest.jobs) expect(fs.existsSync(path.join(out, job.jobspec))).toBe(true);
    expect(manifest.jobs[0]!.fabio).toMatchObject({
      tagPrefix: "prod.rmq-nsindex-",
      nameServerIndex: true,
      propertiesPath: "jobs/fabio-nameserver-index.fabio.properties",
      properties: { "proxy.addr": ":8080,:9997;proto=prometheus", "registry.consul.tagprefix": "prod.rmq-nsindex-" },
    });
  });

  it("summarises jobs with their ports, scrape jobs, alerts and ACL policies on stderr for review", async () => {
    const { stderr } = await render("--stack", "prod", "--out", tempDir());
    const rows = stderr.split("\n").map((line) => line.split(/\s{2,}/));
    const row = (first: string) => rows.find((r) => r[0] === first || r[1] === first);
    expect(row("fabio-nameserver-index")).toContain("proxy: 8080, ui: 9998, metrics: 9997 (static)");
    expect(row("fabio-prometheus")).toContain("proxy: 9090, ui: 9999, metrics: 9996 (static)");
    expect(row("prometheus")?.[2]).toBe("service");
    expect(row("consul-servers")).toEqual(["consul-servers", "consul_http", "/v1/agent/metrics"]);
    for (const alert of [...EXPECTED_ALERTS]) {
      expect(row(alert), alert).toBeDefined();
    }
    expect(stderr).toContain("nomad/jobs/fabio-prometheus");
  });

  it("documents every flag in --help", async () => {
    const { stdout, code } = await render("--help");
    expect(code).toBe(0);
    for (const flag of ["--stack <name>", "--stack-file <path>", "--out <dir>", "--help"])
      expect(stdout).toContain(flag);
  });

  it("names in --help every directory a render of prod writes and replaces", async () => {
    const out = tempDir();
    expect((await render("--stack", "prod", "--out", out)).code).toBe(0);
    const written = new Set(filesUnder(out).map((file) => file.split(path.sep)[0]!));
    written.delete(OUTPUT_MARKER);
    const { stdout } = await render("--help");
    for (const dir of written) expect(stdout).toContain(`${dir}/`);
  });

  it("reads any stack file with --stack-file", async () => {
    const dir = tempDir();
    const file = path.join(dir, "Pulumi.staging.yaml");
    fs.copyFileSync(stackFile("dev"), file);
    const out = path.join(dir, "out");
    expect((await render("--stack-file", file, "--out", out)).code).toBe(0);
    expect(fs.readFileSync(path.join(out, "jobs", "fabio-nameserver-index.nomad.hcl"), "utf8")).toContain(
      "from Pulumi.staging.yaml",
    );
  });

  it("names the stack file it actually read in every generated header, whatever the file is called", async () => {
    const dir = tempDir();
    const file = path.join(dir, "custom.yaml");
    fs.copyFileSync(stackFile("dev"), file);
    const out = path.join(dir, "out");
    expect((await render("--stack-file", file, "--out", out)).code).toBe(0);
    const headed = filesUnder(out).filter((name) => /^(jobs|packer)\/.*\.hcl$/.test(name));
    expect(headed.length).toBeGreaterThan(5);
    for (const name of headed) {
      const text = fs.readFileSync(path.join(out, name), "utf8");
      expect(text, name).toContain("from custom.yaml");
      expect(text, name).not.toContain("Pulumi.custom.yaml");
    }
  });

  it.each([
    [
      "overlapping prefixes",
      "tagPrefix: rmq-prometheus-",
      "tagPrefix: rmq-nsindex-prom-",
      "fabio.prometheus.tagPrefix",
    ],
    ["a port used twice", "proxyPort: 9090", "proxyPort: 8080", "fabio.prometheus.proxyPort"],
    ["an image tagged latest", "image: fabiolb/fabio:1.6.3", "image: fabiolb/fabio:latest", "fabio.image"],
  ])("rejects %s with a key-named message and writes nothing", async (_what, from, to, key) => {
    const dir = tempDir();
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(file, fs.readFileSync(stackFile("prod"), "utf8").replace(from, to));
    const out = path.join(dir, "out");
    const result = await render("--stack-file", file, "--out", out);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      new RegExp(`^error: Pulumi\\.bad\\.yaml: rocketmq-system-jobs:${key.replace(/\./g, "\\.")}: `),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(out)).toBe(false);
  });

  it("replaces the directories it owns, so no file of an earlier render lingers, and leaves other files alone", async () => {
    const out = tempDir();
    expect((await render("--stack", "prod", "--out", out)).code).toBe(0);
    expect(filesUnder(out).filter((file) => file.startsWith("consul-acl/"))).not.toEqual([]);
    fs.writeFileSync(path.join(out, "notes.txt"), "mine");
    fs.mkdirSync(path.join(out, "extra"));
    fs.writeFileSync(path.join(out, "extra", "keep.hcl"), "mine too");

    expect((await render("--stack", "dev", "--out", out)).code).toBe(0); // dev runs without Consul ACLs
    const expected = renderArtifacts(modelOf(loadStack("dev"), "dev")).map((a) => a.path);
    expect(filesUnder(out)).toEqual([...expected, OUTPUT_MARKER, "extra/keep.hcl", "notes.txt"].sort());
    expect(fs.readdirSync(out).sort()).toEqual([
      OUTPUT_MARKER,
      "dashboards",
      "extra",
      "jobs",
      "notes.txt",
      "packer",
      "prometheus",
    ]);
    expect(fs.readFileSync(path.join(out, "notes.txt"), "utf8")).toBe("mine");
  });

  it("neither writes nor removes anything in a used --out when the config is invalid", async () => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    expect((await render("--stack", "prod", "--out", out)).code).toBe(0);
    const before = new Map(filesUnder(out).map((file) => [file, fs.readFileSync(path.join(out, file), "utf8")]));
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(file, fs.readFileSync(stackFile("dev"), "utf8").replace("proxyPort: 9090", "proxyPort: 8080"));

    expect((await render("--stack-file", file, "--out", out)).code).toBe(2);
    expect(new Map(filesUnder(out).map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]))).toEqual(before);
  });

  it("refuses to replace a jobs/ or packer/ it did not write, such as the project's own packer/", async () => {
    const out = tempDir();
    fs.mkdirSync(path.join(out, "packer"));
    fs.writeFileSync(path.join(out, "packer", "images.pkr.hcl"), "precious");
    const result = await render("--stack", "dev", "--out", out);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `error: refusing to replace ${path.join(out, "packer")}: ${out} was not written by this CLI (no ${OUTPUT_MARKER}); choose an empty or dedicated --out`,
    );
    expect(filesUnder(out)).toEqual(["packer/images.pkr.hcl"]);
  });

  it("refuses to render into the project directory itself", async () => {
    const result = await render("--stack", "dev", "--out", PROJECT_DIR);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("it is a project directory");
    expect(fs.existsSync(path.join(PROJECT_DIR, OUTPUT_MARKER))).toBe(false);
  });

  it("reports an --out it cannot write on one line naming the path, without a stack trace", async () => {
    const result = await render("--stack", "dev", "--out", "/dev/null/x");
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: cannot write the output directory \/dev\/null\/x: ENOTDIR: /);
    expect(result.stdout).toBe("");
  });

  // Node's recursive mkdir loops forever on /proc/nope (ENOENT under a directory that exists), so the CLI runs
  // in a child that a timeout can stop; a render into a writable directory is the baseline (start-up and
  // rendering take the same time either way, however loaded the machine is).
  it.runIf(fs.existsSync("/proc/self"))(
    "fails on an --out under /proc within 2 s, on one line",
    () => {
      const cli = (...args: string[]) => {
        const started = Date.now();
        const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/render.ts", ...args], {
          cwd: PROJECT_DIR,
          encoding: "utf8",
          timeout: 20_000,
        });
        return { ...child, ms: Date.now() - started };
      };
      const baseline = cli("--stack", "dev", "--out", tempDir());
      expect(baseline.status).toBe(0);
      const result = cli("--stack", "dev", "--out", "/proc/nope");
      expect(result.signal).toBeNull();
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split("\n")).toEqual([
        "error: cannot write the output directory /proc/nope: ENOENT: no such file or directory, mkdir '/proc/nope'",
      ]);
      expect(result.ms - baseline.ms).toBeLessThan(2000);
    },
    45_000,
  );

  it("explains its usage when --out is missing", async () => {
    const result = await render("--stack", "prod");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--out <dir> is required");
  });
});
