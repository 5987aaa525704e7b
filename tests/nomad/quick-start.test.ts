// The README's quick start on a real Consul and Nomad (the Nomad tier): its `consul agent` and `nomad agent` lines
// run as written, reading the files `npm run render` writes for the dev stack with every port moved to a free one
// (stackFileOnFreePorts); the jobs submitted as `pulumi up` submits them (the rendered jobspecs); then verify,
// the quick start's last line, which must pass.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStackFile, type StackConfig } from "../../config";
import { agentHclString, renderArtifacts, renderJobs, writeHcl } from "../../render";
import { verifyCli } from "../../scripts/verify-cli";
import type { VerifyReport } from "../../verify";
import type { NomadNode } from "../support/nomad-api";
import {
  freePorts,
  http,
  requireTools,
  runToolAsync,
  start,
  stopAll,
  tempDir,
  waitFor,
  type Started,
} from "../support/processes";
import { quickStartArgs, stackFileOnFreePorts, startQuickStartConsul } from "../support/quick-start";
import { modelOf, PROJECT_DIR } from "../support/stack";

const available = requireTools("consul", "nomad");

interface DriverInfo {
  Detected: boolean;
  Healthy: boolean;
  HealthDescription: string;
}

describe.runIf(available)("the README's quick start on a real Consul and Nomad", () => {
  let file: string;
  let cfg: StackConfig;
  let out: string;
  let consulAddr: string;
  let nomadUrl: string;
  let nomad: Started;
  const jobFiles: string[] = [];

  const nomadCli = (args: string[]) => runToolAsync("nomad", args, { NOMAD_ADDR: nomadUrl }, 120_000);

  beforeAll(async () => {
    file = await stackFileOnFreePorts("dev", "quickstart");
    cfg = loadStackFile(file);
    // What `npm run render -- --stack dev` writes, for the moved ports; the README reads packer/generated/dev/.
    out = tempDir("quick-start-render");
    const model = modelOf(cfg, "dev", path.basename(file));
    for (const artifact of renderArtifacts(model)) {
      fs.mkdirSync(path.dirname(path.join(out, artifact.path)), { recursive: true });
      fs.writeFileSync(path.join(out, artifact.path), artifact.content);
    }
    // The jobspecs only: jobs/ also holds the manifest and each Fabio's fabio.properties, which no Nomad reads.
    jobFiles.push(...renderJobs(model).map((job) => path.join(out, "jobs", `${job.name}.nomad.hcl`)));
    for (const job of jobFiles) expect(fs.existsSync(job), `${job} is not among the rendered artifacts`).toBe(true);
    const rendered = (arg: string) => arg.replace("packer/generated/dev/", `${path.join(out, "packer")}/`);

    const consulHttp = cfg.images.consulServer.httpPort;
    consulAddr = `127.0.0.1:${consulHttp}`;
    await startQuickStartConsul(consulHttp, rendered);

    const [nomadHttp, rpc, serf] = await freePorts(3);

    const ports = path.join(tempDir("quick-start-nomad"), "ports.hcl");
    fs.writeFileSync(
      ports,
      writeHcl(
        [
          {
            block: "ports",
            body: [
              ["http", nomadHttp!],
              ["rpc", rpc!],
              ["serf", serf!],
            ],
          },
        ],
        agentHclString,
      ),
    );
    nomadUrl = `http://127.0.0.1:${nomadHttp}`;
    nomad = start("nomad", ["agent", ...quickStartArgs("nomad agent").map(rendered), `-config=${ports}`], {
      cwd: PROJECT_DIR,
    });
    await waitFor(
      "the quick start's Nomad node to be ready",
      async () => {
        const { status, text } = await http(`${nomadUrl}/v1/nodes`);
        return status === 200 && (JSON.parse(text) as NomadNode[]).some((n) => n.Status === "ready") ? true : undefined;
      },
      { process: nomad, timeoutMs: 30_000 },
    );
  }, 120_000);

  afterAll(async () => {
    // Stop what the jobs started (containers outlive a killed agent) before the agents go.
    for (const job of jobFiles) await nomadCli(["job", "stop", "-purge", path.basename(job, ".nomad.hcl")]);
    await stopAll();
  });

  it("registers Nomad in Consul as dev-nomad and dev-nomad-client, tagged for the dev cluster, serving metrics", async () => {
    const services = await waitFor(
      "Nomad's services in the quick start's Consul",
      async () => {
        const { text } = await http(`http://${consulAddr}/v1/catalog/services`);
        const all = JSON.parse(text) as Record<string, string[]>;
        return "dev-nomad" in all && "dev-nomad-client" in all ? all : undefined;
      },
      { process: nomad, timeoutMs: 30_000 },
    );
    // The scrape jobs keep the instances tagged "http" and "cluster-dev".
    expect(services["dev-nomad"]).toEqual(expect.arrayContaining(["http", "cluster-dev"]));
    expect(services["dev-nomad-client"]).toEqual(expect.arrayContaining(["http", "cluster-dev"]));
    expect(Object.keys(services)).not.toContain("nomad");
    const metrics = await http(`${nomadUrl}/v1/metrics?format=prometheus`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^# TYPE nomad_\w+ /m);
  });

  it("ends with `npm run verify -- --stack dev` passing once the jobs run (on Docker, as the quick start needs)", async (ctx) => {
    const [stub] = JSON.parse((await http(`${nomadUrl}/v1/nodes`)).text) as NomadNode[];
    const node = JSON.parse((await http(`${nomadUrl}/v1/node/${stub!.ID}`)).text) as {
      Drivers?: Record<string, DriverInfo>;
    };
    const docker = node.Drivers?.docker;
    if (docker?.Healthy !== true) {
      console.warn(
        `\n!!! NOT RUN: the quick start's jobs need Docker, and this Nomad's docker driver is ${docker === undefined ? "absent" : `unhealthy (${docker.HealthDescription})`}\n`,
      );
      ctx.skip();
    }
    // What `pulumi up` submits: the rendered jobspecs.
    for (const job of jobFiles) {
      const run = await nomadCli(["job", "run", "-detach", job]);
      expect(run.code, run.output).toBe(0);
    }
    let last: { code: number; report: VerifyReport } | undefined;
    const verify = async () => {
      let stdout = "";
      const io = { log: (line: string) => (stdout += `${line}\n`), error: () => {} };
      const env = { CONSUL_HTTP_ADDR: consulAddr, NOMAD_ADDR: nomadUrl };
      const code = await verifyCli(["--stack-file", file, "--json", "--request-timeout", "3"], io, env);
      last = { code, report: JSON.parse(stdout) as VerifyReport };
      return code === 0 ? last : undefined;
    };
    // Images are pulled, allocations start, Prometheus scrapes: bounded, then the last report says what failed.
    await waitFor("verify to pass", verify, { timeoutMs: 480_000, intervalMs: 5_000 }).catch(() => undefined);
    const failed = (last?.report.checks ?? []).filter((c) => c.result === "fail");
    expect(failed).toEqual([]);
    expect(last?.code).toBe(0);
    // The Nomad scrape jobs found the dev agent: the quick start's Nomad is a member of the stack.
    const checks = new Map((last?.report.checks ?? []).map((c) => [c.check, c.result]));
    expect(checks.get("nomad agents scraped")).toBe("pass");
  }, 600_000);
});
