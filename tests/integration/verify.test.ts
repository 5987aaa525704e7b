// `npm run verify` against a stack running on real binaries on loopback: a Consul server from the image files,
// both Fabios from their rendered properties, Prometheus from its rendered config and rules, registered in
// Consul the way Nomad registers the rendered jobspecs' services. The stack file moves every static port to a
// free one (and Consul to a free HTTP port), so verify reads the same keys it reads in production.
//
// No Nomad here: the Nomad agents Prometheus scrapes are a stand-in HTTP service registered under the
// stack's Nomad service names, and verify runs without NOMAD_ADDR (its Nomad part is unit tested against a fake server,
// tests/unit/verify-nomad.test.ts).
import { spawn } from "node:child_process";
import * as nodeHttp from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FABIO_ROLES, type StackConfig } from "../../config";
import {
  dashboardScope,
  DASHBOARD_PANELS,
  RATE_INTERVAL,
  nameServerIndexTag,
  nameServerIndexTags,
  prometheusConfig,
  renderJobs,
  SCRAPE_JOBS,
} from "../../render";
import { verifyCli, type VerifyEnv } from "../../scripts/verify-cli";
import type { VerifyReport } from "../../verify";
import type { Agent } from "../support/agents";
import { startBackend, type Backend } from "../support/backend";
import type { Fabio } from "../support/fabio";
import { freePort, http, requireTools, stopAll, waitFor } from "../support/processes";
import { startBlackbox, startLookupTargets } from "../support/lookup-probes";
import { activeTargets, startPrometheus, writePrometheusFiles, type PrometheusServer } from "../support/prometheus";
import { stackFileOnFreePorts } from "../support/quick-start";
import { modelOf, PROJECT_DIR } from "../support/stack";
import { deregister, register, registerLikeNomad, startLoopbackStack } from "../support/loopback-stack";

const available = requireTools("consul", "fabio", "prometheus", "blackbox_exporter", "consul-template");
const HOST = "image-test (127.0.0.1)"; // the Consul server's node name (support/agents.ts) and address
const SUBGROUP = "nsaddr-verify";
const NAMESERVERS = "127.0.0.1:9876;127.0.0.2:9876";
const TOKEN = "verify-test-token-7f3a"; // must never show up in verify's output

/**
 * A stand-in for the Nomad agents' metrics endpoint that can be switched to answering 500. Healthy, it reports
 * what a Nomad server that leads reports (NomadNoLeader watches for its absence): a healthy stack has a leader.
 */
async function startNomadStandIn(): Promise<{ port: number; healthy: boolean; close(): Promise<void> }> {
  const state = { port: 0, healthy: true, close: async () => {} };
  const server = nodeHttp.createServer((req, res) => {
    if (!state.healthy) return void res.writeHead(500).end("stand-in switched off");
    if (req.url?.startsWith("/v1/metrics")) return void res.writeHead(200).end("nomad_nomad_autopilot_healthy 1\n");
    res.writeHead(200).end("OK");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/** Waits (bounded) until Consul reports a check of `service` critical. */
async function waitForCritical(consul: Agent, service: string): Promise<void> {
  await waitFor(`Consul to mark a check of ${service} critical`, async () => {
    const { text } = await http(`${consul.url}/v1/health/checks/${service}`);
    return (JSON.parse(text) as { Status: string }[]).some((check) => check.Status === "critical") ? true : undefined;
  });
}

async function runVerify(file: string): Promise<{ code: number; report: VerifyReport; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = { log: (line: string) => (stdout += `${line}\n`), error: (line: string) => (stderr += `${line}\n`) };
  const env: VerifyEnv = { CONSUL_HTTP_ADDR: consulAddr, CONSUL_HTTP_TOKEN: TOKEN };
  const code = await verifyCli(["--stack-file", file, "--json", "--request-timeout", "3"], io, env);
  expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  return { code, report: JSON.parse(stdout) as VerifyReport, stderr };
}

const failures = (report: VerifyReport) =>
  report.checks.filter((c) => c.result === "fail").map((c) => [c.check, c.host]);

let consulAddr = "";

describe.runIf(available)("npm run verify against real Consul, Fabio and Prometheus", () => {
  let file: string;
  let cfg: StackConfig;
  let consul: Agent;
  const fabios = {} as Record<(typeof FABIO_ROLES)[number], Fabio>;
  let prometheus: PrometheusServer;
  let index: Backend;
  let nomadStandIn: Awaited<ReturnType<typeof startNomadStandIn>>;

  /** Waits (bounded) until Prometheus has scraped every job's targets and found them `health`. */
  const waitForScrapes = (what: string, predicate: (jobs: Map<string, string[]>) => boolean) =>
    waitFor(
      what,
      async () => {
        const jobs = new Map<string, string[]>();
        const targets = await activeTargets(prometheus);
        const lastErrors = targets.filter((t) => t.lastError !== "").map((t) => `${t.scrapePool}: ${t.lastError}`);
        for (const t of targets) jobs.set(t.scrapePool, [...(jobs.get(t.scrapePool) ?? []), t.health]);
        if (predicate(jobs)) return true;
        throw new Error(
          `targets now: ${JSON.stringify(Object.fromEntries(jobs))}; last errors: ${lastErrors.join(" | ")}; catalog: ${(await http(`${consul.url}/v1/catalog/services`)).text}`,
        );
      },
      { timeoutMs: 30_000, intervalMs: 500, process: prometheus.process },
    );

  /**
   * Every scrape job's targets up: what a test that expects only its own failures waits for first. At the tests'
   * 1s scrape interval a probe target the previous test left behind, or a scrape slowed by a loaded machine, can
   * be down for a moment.
   */
  const allScrapesUp = () =>
    waitForScrapes("every scrape job's targets to be up", (seen) =>
      prometheusConfig(modelOf(cfg)).scrape_configs.every(({ job_name }) => {
        const health = seen.get(job_name) ?? [];
        return health.length > 0 && health.every((h) => h === "up");
      }),
    );

  beforeAll(async () => {
    file = await stackFileOnFreePorts("dev", "verify");
    const stack = await startLoopbackStack(file, "verify");
    ({ cfg, consul, consulAddr } = stack);
    Object.assign(fabios, stack.fabios);

    nomadStandIn = await startNomadStandIn();
    const { nomadServers, nomadClients } = modelOf(cfg).discovered;
    for (const name of [...nomadServers, ...nomadClients]) {
      // Nomad registers its HTTP endpoint with the tag "http", plus the image config's consul.tags (the cluster's).
      const check = `http://127.0.0.1:${nomadStandIn.port}/`;
      const tags = ["http", `cluster-${cfg.clusterName}`];
      await register(consul, { name, port: nomadStandIn.port, tags, check });
    }
    // Registered before Prometheus starts: its Consul discovery looks a listed service up again only every
    // refresh_interval after a first answer that was empty.
    const prometheusPort = await freePort();
    const promJob = renderJobs(modelOf(cfg, "verify")).find((j) => j.name === cfg.prometheus.jobName)!;
    await registerLikeNomad(consul, promJob, () => prometheusPort);
    // The lookup prober beside Prometheus, as the job runs it (support/lookup-probes.ts).
    const prober = await startBlackbox();
    // The rules' own `for:`: each test injects a fault and expects verify to name it by its own checks while
    // the alerts it causes are still pending (a firing one fails "alerts firing" too).
    const files = writePrometheusFiles(cfg, consulAddr, { blackboxAddr: prober.blackboxAddr, alertFor: "rendered" });
    await startLookupTargets(cfg, consulAddr, files.lookupTargetsFile);
    prometheus = await startPrometheus(files, prometheusPort);

    index = await startBackend({ [`/rocketmq/${SUBGROUP}`]: NAMESERVERS });
    await register(consul, {
      name: "rocketmq-a",
      port: index.port,
      tags: nameServerIndexTags(modelOf(cfg).nameServerIndexStack, [SUBGROUP]),
      check: `${index.url}/health`,
    });

    await waitFor(
      "the index Fabio to route the NameServer lookup",
      async () => {
        const { status } = await http(`${fabios.nameServerIndex.proxyUrl}/rocketmq/${SUBGROUP}`);
        return status === 200 ? true : undefined;
      },
      { timeoutMs: 20_000, process: fabios.nameServerIndex.process },
    );
    await allScrapesUp();
  });

  afterAll(async () => {
    await Promise.all([index?.close(), nomadStandIn?.close()]);
    await stopAll();
  });

  it("passes a healthy stack, with every check on the host, through its Fabios", async () => {
    const { code, report, stderr } = await runVerify(file);
    expect(failures(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.passed).toBe(true);
    const byCheck = new Map(report.checks.map((c) => [c.check, c]));
    expect(byCheck.get(`route /rocketmq/${SUBGROUP}`)).toEqual({
      check: `route /rocketmq/${SUBGROUP}`,
      host: HOST,
      result: "pass",
      detail: NAMESERVERS,
    });
    expect(byCheck.get(`no leak /rocketmq/${SUBGROUP}`)).toMatchObject({ host: HOST, result: "pass" });
    expect(byCheck.get("prometheus ready")).toMatchObject({ host: HOST, result: "pass" });
    expect(byCheck.get("fabio services")).toMatchObject({ host: HOST, result: "pass" });
    expect(byCheck.get("consul servers scraped")).toMatchObject({ result: "pass", host: `prometheus via ${HOST}` });
    expect(byCheck.get("nomad agents scraped")).toMatchObject({ result: "skip", detail: "NOMAD_ADDR is not set" });
    for (const job of ["nomad-servers", "nomad-clients", "consul-servers", "fabio", "prometheus"]) {
      expect(byCheck.get(`scrape job ${job}`)?.result, job).toBe("pass");
    }
    expect(byCheck.get("alert rules")?.result).toBe("pass");
    expect(byCheck.get("alerts firing")?.result).toBe("pass");
    // dev sends alerts nowhere: the check says so and why, and is not counted as passed or failed.
    expect(byCheck.get("alert delivery")).toMatchObject({
      result: "skip",
      detail: expect.stringMatching(/^alerts go to: nowhere/),
    });
    // One progress line per check, in the order they ran.
    expect(stderr.split("\n").filter((l) => /^\[\s*\d+\] /.test(l))).toHaveLength(report.checks.length);
  });

  it("answers every dashboard panel's query on this stack: each parses and returns series", async () => {
    // Lookup traffic of every kind the panels show: routed, unknown subgroup (no route), and a 5xx from a backend.
    const failing = nodeHttp.createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 500).end());
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    const failingPort = (failing.address() as AddressInfo).port;
    const broken = "nsaddr-dashboard-broken";
    const tag = nameServerIndexTag(modelOf(cfg).nameServerIndexStack, broken);
    await register(consul, {
      name: "rocketmq-broken",
      port: failingPort,
      tags: [tag],
      check: `http://127.0.0.1:${failingPort}/health`,
    });
    try {
      const lookup = (subgroup: string) => http(`${fabios.nameServerIndex.proxyUrl}/rocketmq/${subgroup}`);
      await waitFor("the index Fabio to route the failing subgroup", async () =>
        (await lookup(broken)).status === 500 ? true : undefined,
      );
      for (const subgroup of [SUBGROUP, broken, "nsaddr-no-such-subgroup"]) await lookup(subgroup);
      const panels = DASHBOARD_PANELS.flatMap((panel) =>
        panel
          .queries(dashboardScope(modelOf(cfg)))
          .map((q) => ({ panel, expr: q.expr.split(RATE_INTERVAL).join("1m") })),
      );
      const empty = await waitFor(
        "every panel query to return series",
        async () => {
          const results = await Promise.all(
            panels.map(async ({ panel, expr }) => {
              const { status, text } = await http(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
              if (status !== 200) throw new Error(`${panel.title}: ${expr} was refused: ${text}`);
              const series = (JSON.parse(text) as { data: { result: unknown[] } }).data.result.length;
              return { panel, expr, series };
            }),
          );
          const missing = results.filter((r) => r.series === 0 && r.panel.needs !== "nomad");
          if (missing.length > 0) throw new Error(`no series yet: ${missing.map((m) => m.expr).join(" | ")}`);
          return results;
        },
        { timeoutMs: 30_000, intervalMs: 500, process: prometheus.process },
      );
      // Every panel, Nomad leader too: the Nomad stand-in reports what a leading Nomad server does.
      expect(empty.filter((r) => r.series === 0).map((r) => r.panel.title)).toEqual([]);
    } finally {
      await deregister(consul, "rocketmq-broken");
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });

  it("runs as `npm run verify`, printing the table and exiting 0", async () => {
    const child = spawn("npm", ["run", "-s", "verify", "--", "--stack-file", file], {
      cwd: PROJECT_DIR,
      env: { ...process.env, CONSUL_HTTP_ADDR: consulAddr, CONSUL_HTTP_TOKEN: TOKEN, NOMAD_ADDR: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, stderr).toBe(0);
    expect(stdout.split("\n")[0]).toMatch(/^CHECK\s+HOST\s+RESULT\s+DETAIL$/);
    expect(stdout).toMatch(new RegExp(`route /rocketmq/${SUBGROUP}\\s+image-test \\(127\\.0\\.0\\.1\\)\\s+pass`));
    // Skipped: the Nomad agents (no NOMAD_ADDR) and alert delivery (dev sends alerts nowhere).
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^PASSED: \d+ checks, \d+ passed, 0 failed, 2 skipped$/);
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  });

  it("checks only its own stack's hosts when another stack's Fabios share the Consul", async () => {
    const other = { Node: "other-stack-ns", Address: "127.0.0.2" };
    const registerOther = (name: string) =>
      http(`${consul.url}/v1/catalog/register`, {
        method: "PUT",
        body: { ...other, Service: { ID: name, Service: name, Port: 1, Tags: ["fabio", "cluster-other"] } },
      });
    for (const role of FABIO_ROLES) expect((await registerOther(cfg.fabio[role].jobName)).status).toBe(200);
    try {
      const { code, report } = await runVerify(file);
      expect(failures(report)).toEqual([]);
      expect(code).toBe(0);
      expect(report.checks.filter((c) => c.host.includes(other.Node) || c.host.includes(other.Address))).toEqual([]);
    } finally {
      await http(`${consul.url}/v1/catalog/deregister`, { method: "PUT", body: { Node: other.Node } });
    }
  });

  it("names the path when a route leaks into the Prometheus Fabio", async () => {
    const leak = "nsaddr-leak";
    const leaky = await startBackend({ [`/rocketmq/${leak}`]: NAMESERVERS });
    const tags = [
      nameServerIndexTag(modelOf(cfg).nameServerIndexStack, leak),
      // The same cluster also tagged for the other Fabio: its lookups answer on the Prometheus port too.
      `${modelOf(cfg).fabios["prometheus"].tagPrefix}/rocketmq/${leak}`,
    ];
    await register(consul, {
      name: "rocketmq-leaky",
      port: leaky.port,
      tags,
      check: `${leaky.url}/health`,
    });
    try {
      await waitFor("the Prometheus Fabio to route the leaked path", async () => {
        const { status } = await http(`${fabios.prometheus.proxyUrl}/rocketmq/${leak}`);
        return status === 200 ? true : undefined;
      });
      await allScrapesUp(); // a new probe target is "unknown" until its first scrape
      const { code, report } = await runVerify(file);
      expect(code).toBe(1);
      expect(failures(report)).toEqual([
        ["index tag rocketmq-leaky", "consul"],
        [`no leak /rocketmq/${leak}`, HOST],
      ]);
      expect(report.checks.find((c) => c.check === `no leak /rocketmq/${leak}`)?.detail).toBe(
        `routed by the Prometheus Fabio: HTTP 200 ${NAMESERVERS}`,
      );
    } finally {
      await deregister(consul, "rocketmq-leaky");
      await leaky.close();
    }
  });

  it("names the two mis-tagged services of issue 23: a bare stack-file prefix, and a lookup tag for the Prometheus Fabio", async () => {
    const lists = { "nsaddr-cluster-b": "127.0.0.1:9876", "nsaddr-cluster-c": "127.0.0.1:9876" };
    const backend = await startBackend(
      Object.fromEntries(Object.entries(lists).map(([s, b]) => [`/rocketmq/${s}`, b])),
    );
    const bare = `${cfg.fabio.nameServerIndex.tagPrefix}/rocketmq/nsaddr-cluster-b`; // "rmq-nsindex-/rocketmq/…"
    const wrongFabio = `${modelOf(cfg).fabios.prometheus.tagPrefix}/rocketmq/nsaddr-cluster-c`;
    await register(consul, { name: "rocketmq-b", port: backend.port, tags: [bare], check: `${backend.url}/health` });
    await register(consul, {
      name: "rocketmq-c",
      port: backend.port,
      tags: [wrongFabio],
      check: `${backend.url}/health`,
    });
    try {
      await waitFor("the Prometheus Fabio to serve the leaked lookup", async () => {
        const { status } = await http(`${fabios.prometheus.proxyUrl}/rocketmq/nsaddr-cluster-c`);
        return status === 200 ? true : undefined;
      });
      await allScrapesUp(); // a new probe target is "unknown" until its first scrape
      const { code, report } = await runVerify(file);
      expect(code).toBe(1);
      expect(failures(report)).toEqual([
        ["index tag rocketmq-b", "consul"],
        ["index tag rocketmq-c", "consul"],
        ["no leak /rocketmq/nsaddr-cluster-c", HOST],
      ]);
      const detail = (check: string) => report.checks.find((c) => c.check === check)?.detail;
      const hint = `this stack's prefix is "${modelOf(cfg).fabios.nameServerIndex.tagPrefix}"`;
      expect(detail("index tag rocketmq-b")).toContain(`tagged "rmq-nsindex-/rocketmq/…": ${hint}`);
      expect(detail("index tag rocketmq-c")).toContain(
        `tagged "${modelOf(cfg).fabios.prometheus.tagPrefix}/rocketmq/…": ${hint}`,
      );
      expect(detail("no leak /rocketmq/nsaddr-cluster-c")).toBe(
        "routed by the Prometheus Fabio: HTTP 200 127.0.0.1:9876",
      );
    } finally {
      await deregister(consul, "rocketmq-b");
      await deregister(consul, "rocketmq-c");
      await backend.close();
    }
  });

  it("names the NameServer-index service whose check fails, and its lookup on the host", async () => {
    const broken = "nsaddr-broken";
    const tags = [nameServerIndexTag(modelOf(cfg).nameServerIndexStack, broken)];
    // The stand-in answers 404 on this path, so Consul marks the instance critical and Fabio drops the route.
    await register(consul, {
      name: "rocketmq-broken",
      port: index.port,
      tags,
      check: `${index.url}/nope`,
    });
    try {
      await waitForCritical(consul, "rocketmq-broken");
      await allScrapesUp(); // a new probe target is "unknown" until its first scrape
      const { code, report } = await runVerify(file);
      expect(code).toBe(1);
      expect(failures(report)).toEqual([
        ["index service rocketmq-broken", "consul"],
        [`route /rocketmq/${broken}`, HOST],
      ]);
      const detail = (check: string) => report.checks.find((c) => c.check === check)?.detail;
      expect(detail("index service rocketmq-broken")).toMatch(
        /^on image-test \(127\.0\.0\.1:\d+\) check ".*" is critical/,
      );
      expect(detail(`route /rocketmq/${broken}`)).toMatch(/^expected 200 with ip:port;ip:port, got HTTP 404/);
    } finally {
      await deregister(consul, "rocketmq-broken");
    }
  });

  it("names the scrape jobs whose target is down, with Prometheus' error", async () => {
    nomadStandIn.healthy = false;
    try {
      await waitForScrapes("the Nomad stand-in's targets to be down", (seen) =>
        [SCRAPE_JOBS.nomadServers, SCRAPE_JOBS.nomadClients].every((job) => seen.get(job)?.[0] === "down"),
      );
      const { code, report } = await runVerify(file);
      expect(code).toBe(1);
      expect(failures(report)).toEqual([
        ["scrape job nomad-servers", `prometheus via ${HOST}`],
        ["scrape job nomad-clients", `prometheus via ${HOST}`],
      ]);
      expect(report.checks.find((c) => c.check === "scrape job nomad-clients")?.detail).toBe(
        `127.0.0.1:${nomadStandIn.port} is down (server returned HTTP status 500 Internal Server Error)`,
      );
    } finally {
      nomadStandIn.healthy = true;
    }
    await waitForScrapes("the Nomad stand-in's targets to be up again", (seen) =>
      [SCRAPE_JOBS.nomadServers, SCRAPE_JOBS.nomadClients].every((job) => seen.get(job)?.[0] === "up"),
    );
  });

  it("names the host whose index Fabio is stopped: its service check and the lookups through it", async () => {
    await fabios.nameServerIndex.stop();
    await waitForCritical(consul, cfg.fabio.nameServerIndex.jobName);
    await waitForScrapes("Prometheus to see the stopped Fabio's metrics target down", (seen) =>
      (seen.get(SCRAPE_JOBS.fabio) ?? []).includes("down"),
    );
    const { code, report } = await runVerify(file);
    expect(code).toBe(1);
    expect(failures(report)).toEqual([
      ["fabio services", HOST],
      [`route /rocketmq/${SUBGROUP}`, HOST],
      ["scrape job fabio", `prometheus via ${HOST}`],
    ]);
    const detail = (check: string) => report.checks.find((c) => c.check === check)?.detail ?? "";
    expect(detail("fabio services")).toMatch(/^fabio-nameserver-index: check "fabio health" is critical/);
    expect(detail(`route /rocketmq/${SUBGROUP}`)).toBe("unreachable (ECONNREFUSED)");
    expect(detail("scrape job fabio")).toContain(`127.0.0.1:${cfg.fabio.nameServerIndex.metricsPort} is down`);
  });
});
