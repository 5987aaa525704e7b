// Two stacks on one Consul datacenter, on the real binaries: dev, and a twin of it that differs only in
// clusterName (same job names, ports and tag prefixes: the worst case). Each stack's Fabios route only to
// its own services, and a Prometheus running dev's rendered config scrapes only dev's instances.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStackFile, type FabioRole, type StackConfig } from "../../config";
import { alertRules, consulServiceJson, nameServerIndexTag, renderJobs, SCRAPE_JOBS } from "../../render";
import { startBackend, type Backend } from "../support/backend";
import { registerService, startConsul, type ConsulAgent } from "../support/consul";
import { proxyGet, startFabio, type Fabio } from "../support/fabio";
import { fabioPropertiesOf } from "../support/fabio-task";
import { registerJobServices, testPortsOf } from "../support/nomad-registration";
import { http, requireTools, stopAll, tempDir, waitFor } from "../support/processes";
import {
  activeTargets,
  query,
  startPrometheus,
  writePrometheusFiles,
  type PrometheusServer,
} from "../support/prometheus";
import { stackFile, modelOf } from "../support/stack";

const available = requireTools("consul", "fabio", "prometheus");
const ROUTE_TIMEOUT = { timeoutMs: 15_000, intervalMs: 100 };

/**
 * The dev stack file with another clusterName, read the way the render CLI reads any stack file. The twin
 * watches dev's Consul servers (`consul.serverCluster`): on a shared Consul, dev's image built them.
 */
function devTwin(clusterName: string): StackConfig {
  let text = fs.readFileSync(stackFile("dev"), "utf8");
  const line = "rocketmq-system-jobs:clusterName: dev";
  const consul = "  rocketmq-system-jobs:consul:\n";
  expect(text).toContain(line);
  expect(text).toContain(consul);
  text = text.replace(line, `rocketmq-system-jobs:clusterName: ${clusterName}`);
  if (clusterName !== "dev") text = text.replace(consul, `${consul}    serverCluster: dev\n`);
  const file = path.join(tempDir("twin"), `Pulumi.${clusterName}.yaml`);
  fs.writeFileSync(file, text);
  return loadStackFile(file);
}

interface RunningStack {
  cfg: StackConfig;
  fabios: Record<FabioRole, Fabio>;
  /** Stand-ins for the stack's Prometheus and its RocketMQ cluster's NameServer-index service. */
  prometheusBackend: Backend;
  nameServers: Backend;
  /** The consul_http instance registered for the stack (dev: the real Consul; the twin: a stand-in). */
  consulHttpPort: number;
  consulHttpStandIn?: Backend;
}

function metricsPortOf(fabio: Fabio): number {
  return Number(/127\.0\.0\.1:(\d+);proto=prometheus/.exec(fabio.properties)![1]);
}

describe.runIf(available)("two stacks on one Consul datacenter, with the same job names and prefixes", () => {
  let consul: ConsulAgent;
  const stacks = new Map<string, RunningStack>();
  let prometheus: PrometheusServer;
  let twinPrometheus: PrometheusServer;

  beforeAll(async () => {
    consul = await startConsul();
    const consulHttp = Number(consul.httpAddr.split(":")[1]);
    for (const cfg of [devTwin("dev"), devTwin("twin")]) {
      const cluster = cfg.clusterName;
      const jobs = renderJobs(modelOf(cfg, cluster));
      const fabioJob = (role: FabioRole) => jobs.find((j) => j.kind === "fabio" && j.name === cfg.fabio[role].jobName)!;
      const fabios = {
        nameServerIndex: await startFabio(await fabioPropertiesOf(fabioJob("nameServerIndex")), consul),
        prometheus: await startFabio(await fabioPropertiesOf(fabioJob("prometheus")), consul),
      };
      const prometheusBackend = await startBackend({ "/": `${cluster} prometheus` });
      const nameServers = await startBackend({ "/rocketmq/nsaddr": `${cluster} name servers` });
      for (const role of ["nameServerIndex", "prometheus"] as const) {
        const fabio = fabios[role];
        await registerJobServices(consul, fabioJob(role), await testPortsOf(fabioJob(role), fabio.movedPorts), {
          idPrefix: cluster,
          checkUrl: () => `${fabio.uiUrl}/health`,
        });
      }
      await registerJobServices(
        consul,
        jobs.find((j) => j.kind === "prometheus")!,
        { http: prometheusBackend.port },
        { idPrefix: cluster, checkUrl: () => `${prometheusBackend.url}/health` },
      );
      // The RocketMQ cluster of this stack registers its NameServer-index service with the contract's tag.
      await registerService(consul, {
        id: `${cluster}-nameserver-index`,
        name: "rocketmq-nameserver-index",
        port: nameServers.port,
        tags: [nameServerIndexTag(modelOf(cfg).nameServerIndexStack)],
        checkUrl: `${nameServers.url}/health`,
      });
      // consul_http as each stack's Consul server image registers it (its name and tags).
      const { service } = JSON.parse(consulServiceJson(modelOf(cfg))) as { service: { name: string; tags: string[] } };
      const consulHttpStandIn = cluster === "dev" ? undefined : await startBackend({});
      const consulHttpPort = consulHttpStandIn?.port ?? consulHttp;
      await registerService(consul, {
        id: `${cluster}-consul_http`,
        name: service.name,
        port: consulHttpPort,
        tags: service.tags,
      });
      stacks.set(cluster, { cfg, fabios, prometheusBackend, nameServers, consulHttpPort, consulHttpStandIn });
    }
    prometheus = await startPrometheus(writePrometheusFiles(stacks.get("dev")!.cfg, consul.httpAddr));
    twinPrometheus = await startPrometheus(writePrometheusFiles(stacks.get("twin")!.cfg, consul.httpAddr));
  });

  afterAll(async () => {
    await stopAll();
    for (const stack of stacks.values()) {
      await Promise.all([stack.prometheusBackend.close(), stack.nameServers.close(), stack.consulHttpStandIn?.close()]);
    }
  });

  /** Ten requests through a Fabio once it routes: a load-balanced leak would show up among them. */
  async function bodiesThrough(fabio: Fabio, urlPath: string): Promise<string[]> {
    await waitFor(
      `a route for ${urlPath} on ${fabio.proxyUrl}`,
      async () => ((await proxyGet(fabio, urlPath)).status === 200 ? true : undefined),
      { ...ROUTE_TIMEOUT, process: fabio.process },
    );
    const bodies: string[] = [];
    for (let i = 0; i < 10; i++) bodies.push((await proxyGet(fabio, urlPath)).text);
    return bodies;
  }

  it.each(["dev", "twin"])("routes the %s stack's Prometheus Fabio to that stack's Prometheus only", async (name) => {
    const stack = stacks.get(name)!;
    expect(new Set(await bodiesThrough(stack.fabios.prometheus, "/"))).toEqual(new Set([`${name} prometheus`]));
    const targets = (await stack.fabios.prometheus.routes()).map((route) => route.dst);
    expect(targets).toEqual([stack.prometheusBackend.url + "/"]);
  });

  it.each(["dev", "twin"])(
    "answers a RocketMQ lookup on the %s stack's NameServer-index Fabio with that stack's NameServers only",
    async (name) => {
      const stack = stacks.get(name)!;
      expect(new Set(await bodiesThrough(stack.fabios.nameServerIndex, "/rocketmq/nsaddr"))).toEqual(
        new Set([`${name} name servers`]),
      );
      const targets = (await stack.fabios.nameServerIndex.routes()).map((route) => route.dst);
      expect(targets).toEqual([stack.nameServers.url + "/"]);
    },
  );

  it("scrapes, with dev's config, only dev's instances of every service both stacks register", async () => {
    const dev = stacks.get("dev")!;
    const twin = stacks.get("twin")!;
    const portsOf = (stack: RunningStack): Record<string, number[]> => ({
      [SCRAPE_JOBS.fabio]: [metricsPortOf(stack.fabios.nameServerIndex), metricsPortOf(stack.fabios.prometheus)],
      [SCRAPE_JOBS.prometheus]: [stack.prometheusBackend.port],
      [SCRAPE_JOBS.consulServers]: [stack.consulHttpPort],
    });
    const expected = portsOf(dev);
    const scraped = await waitFor(
      "dev's targets in Prometheus",
      async () => {
        const targets = await activeTargets(prometheus);
        const byJob: Record<string, number[]> = {};
        for (const t of targets) (byJob[t.labels.job!] ??= []).push(Number(new URL(t.scrapeUrl).port));
        const complete = Object.entries(expected).every(([job, ports]) => (byJob[job]?.length ?? 0) >= ports.length);
        return complete ? { byJob, targets } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, process: prometheus.process },
    );
    for (const [job, ports] of Object.entries(expected)) {
      expect(scraped.byJob[job]!.sort(), job).toEqual([...ports].sort());
    }
    const twinPorts = Object.values(portsOf(twin)).flat();
    for (const t of scraped.targets) {
      expect(twinPorts, t.scrapeUrl).not.toContain(Number(new URL(t.scrapeUrl).port));
      expect(t.labels.cluster).toBe("dev");
    }
  });

  it("scrapes, with the twin's config, the Consul servers dev built (consul.serverCluster) as the twin's", async () => {
    const dev = stacks.get("dev")!;
    const twin = stacks.get("twin")!;
    const consulTargets = await waitFor(
      "the twin's consul-servers targets",
      async () => {
        const targets = (await activeTargets(twinPrometheus)).filter((t) => t.labels.job === SCRAPE_JOBS.consulServers);
        return targets.length > 0 ? targets : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, process: twinPrometheus.process },
    );
    expect(consulTargets.map((t) => Number(new URL(t.scrapeUrl).port))).toEqual([dev.consulHttpPort]);
    expect(consulTargets.map((t) => t.labels.cluster)).toEqual(["twin"]);
    expect(consulTargets.map((t) => Number(new URL(t.scrapeUrl).port))).not.toContain(twin.consulHttpPort);
    // Everything else the twin scrapes is its own.
    const fabioPorts = (await activeTargets(twinPrometheus))
      .filter((t) => t.labels.job === SCRAPE_JOBS.fabio)
      .map((t) => Number(new URL(t.scrapeUrl).port))
      .sort();
    expect(fabioPorts).toEqual(
      [metricsPortOf(twin.fabios.nameServerIndex), metricsPortOf(twin.fabios.prometheus)].sort(),
    );
  });

  it("fires dev's NameServerIndexFabioMissing condition when dev's index Fabio is gone, though the twin's is up", async () => {
    const dev = stacks.get("dev")!;
    const missing = alertRules(modelOf(dev.cfg))
      .groups.flatMap((group) => group.rules)
      .find((rule) => rule.alert === "NameServerIndexFabioMissing")!;
    await waitFor(
      "dev's index Fabio to be scraped up",
      async () => ((await query(prometheus, missing.expr)).length === 0 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 500, process: prometheus.process },
    );
    const id = `dev-${dev.cfg.fabio.nameServerIndex.jobName}-metrics`;
    const { status } = await http(`${consul.url}/v1/agent/service/deregister/${id}`, { method: "PUT" });
    expect(status).toBe(200);
    await waitFor(
      "NameServerIndexFabioMissing's condition in dev's Prometheus",
      async () => ((await query(prometheus, missing.expr)).length > 0 ? true : undefined),
      // Consul discovery drops it at its next refresh (PROMETHEUS_TEST_TIMING) plus Prometheus' 5s batching.
      { timeoutMs: 30_000, intervalMs: 250, process: prometheus.process },
    );
    // The twin's index Fabio is still registered and serving metrics.
    const services = JSON.parse((await http(`${consul.url}/v1/agent/services`)).text) as Record<string, unknown>;
    expect(Object.keys(services)).toContain(`twin-${dev.cfg.fabio.nameServerIndex.jobName}-metrics`);
  });
});
