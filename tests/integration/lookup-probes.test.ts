// The NameServer lookup probes on real binaries: a Consul server from the image files, both Fabios from their
// rendered properties, blackbox_exporter from the rendered modules, consul-template rendering the lookup targets
// template, and Prometheus from the rendered config and rules. Services are registered the way Nomad registers
// the rendered jobspecs' services, and RocketMQ clusters' NameServer-index services with the contract's tags.
//
// Test-side timing from support/test-timing.ts (intervals, discovery refresh, through writePrometheusFiles and the
// stack file). Alerts keep their rendered `for:`; the test waits for them to go pending, which needs no `for:`.
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FABIO_ROLES, type StackConfig } from "../../config";
import { nameServerIndexMarkerTag, nameServerIndexMemberTag, nameServerIndexTags, SCRAPE_JOBS } from "../../render";
import type { Agent } from "../support/agents";
import { startBackend, type Backend } from "../support/backend";
import { proxyGet, type Fabio } from "../support/fabio";
import { startBlackbox, startLookupTargets } from "../support/lookup-probes";
import { deregister, startLoopbackStack } from "../support/loopback-stack";
import { stackFileOnFreePorts } from "../support/quick-start";
import { freePort, http, requireTools, stopAll, waitFor } from "../support/processes";
import { modelOf } from "../support/stack";
import {
  activeTargets,
  query,
  startPrometheus,
  waitForNextEvaluation,
  writePrometheusFiles,
  type PrometheusFiles,
  type PrometheusServer,
} from "../support/prometheus";

const available = requireTools("consul", "fabio", "prometheus", "blackbox_exporter", "consul-template");
const NAMESERVERS = "127.0.0.1:9876;127.0.0.2:9876";
const WAIT = { timeoutMs: 30_000, intervalMs: 250 };

describe.runIf(available)("the lookup probes on real Consul, Fabio, blackbox_exporter and Prometheus", () => {
  let cfg: StackConfig;
  let consul: Agent;
  let consulAddr: string;
  const fabios = {} as Record<(typeof FABIO_ROLES)[number], Fabio>;
  let prometheus: PrometheusServer;
  let files: PrometheusFiles;
  const backends: Backend[] = [];

  /** A NameServer-index service answering `/rocketmq/<subgroup>` with `body`, tagged by the contract. */
  async function registerIndexService(
    name: string,
    subgroup: string,
    body: string,
    { tags = nameServerIndexTags(modelOf(cfg).nameServerIndexStack, [subgroup]), ttl = false } = {},
  ): Promise<void> {
    const backend = await startBackend({ [`/rocketmq/${subgroup}`]: body });
    backends.push(backend);
    const check = ttl
      ? { CheckID: `${name}-ttl`, Name: "ttl", TTL: "10m", Status: "passing" }
      : { HTTP: `${backend.url}/health`, Interval: "1s", Timeout: "1s" };
    const service = { ID: name, Name: name, Port: backend.port, Address: "127.0.0.1", Tags: tags, Check: check };
    const { status, text } = await http(`${consul.url}/v1/agent/service/register`, { method: "PUT", body: service });
    if (status !== 200) throw new Error(`registering ${name}: ${status} ${text}`);
  }

  /** The probe of `subgroup` as Prometheus last scraped it: 1, 0, or undefined while it is no target. */
  async function probeSuccess(subgroup: string): Promise<number | undefined> {
    const [sample] = await query(
      prometheus,
      `probe_success{job="${SCRAPE_JOBS.nameServerLookups}",subgroup="${subgroup}"}`,
    );
    return sample === undefined ? undefined : Number(sample.value[1]);
  }

  const waitForProbe = (subgroup: string, value: 0 | 1) =>
    waitFor(
      `the probe of ${subgroup} to be ${value}`,
      async () => ((await probeSuccess(subgroup)) === value ? true : undefined),
      {
        ...WAIT,
        process: prometheus.process,
      },
    );

  /** Alerts Prometheus holds now (pending or firing), as "<state> <alertname> <label>". */
  async function alerts(): Promise<{ alertname: string; alertstate: string; subgroup?: string; service?: string }[]> {
    return (await query(prometheus, "ALERTS")).map(({ metric }) => ({
      alertname: metric.alertname!,
      alertstate: metric.alertstate!,
      ...(metric.subgroup === undefined ? {} : { subgroup: metric.subgroup }),
      ...(metric.service === undefined ? {} : { service: metric.service }),
    }));
  }

  const waitForAlert = (alertname: string, labels: { subgroup?: string; service?: string }) =>
    waitFor(
      `${alertname} ${JSON.stringify(labels)} to go pending`,
      async () =>
        (await alerts()).find(
          (a) =>
            a.alertname === alertname &&
            a.alertstate === "pending" &&
            Object.entries(labels).every(([k, v]) => (a as Record<string, string | undefined>)[k] === v),
        ),
      { ...WAIT, process: prometheus.process },
    );

  beforeAll(async () => {
    const stack = await startLoopbackStack(await stackFileOnFreePorts("dev", "probes"), "probes");
    ({ cfg, consul, consulAddr } = stack);
    Object.assign(fabios, stack.fabios);

    const prober = await startBlackbox();
    const prometheusPort = await freePort();
    files = writePrometheusFiles(cfg, consulAddr, { blackboxAddr: prober.blackboxAddr, alertFor: "rendered" });
    await startLookupTargets(cfg, consulAddr, files.lookupTargetsFile);
    await registerIndexService("rocketmq-a", "nsaddr-a", NAMESERVERS);
    await registerIndexService("rocketmq-b", "nsaddr-b", NAMESERVERS, { ttl: true });
    prometheus = await startPrometheus(files, prometheusPort);
  });

  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
    await stopAll();
  });

  it("probes a healthy cluster's subgroup through the host's index Fabio, and it succeeds", async () => {
    await waitForProbe("nsaddr-a", 1);
    const target = (await activeTargets(prometheus)).find(
      (t) => t.scrapePool === SCRAPE_JOBS.nameServerLookups && t.labels.subgroup === "nsaddr-a",
    )!;
    expect(target.labels).toMatchObject({
      instance: `http://127.0.0.1:${cfg.fabio.nameServerIndex.proxyPort}/rocketmq/nsaddr-a`,
      host: "image-test",
      service: "rocketmq-a",
      cluster: cfg.clusterName,
    });
  });

  it("counts a lookup of a subgroup no service claims in the index Fabio's fabio_notfound, which the alert reads", async () => {
    const metricsUrl = `http://127.0.0.1:${cfg.fabio.nameServerIndex.metricsPort}/metrics`;
    const notFound = async () => Number(/^fabio_notfound (\S+)$/m.exec((await http(metricsUrl)).text)?.[1] ?? "0");
    // Every probe target routed, so that no probe's 404 is counted with the lookup below. (Hence this test runs
    // before the fault injections below: a probe of a subgroup they unroute answers 404 too.)
    await Promise.all([waitForProbe("nsaddr-a", 1), waitForProbe("nsaddr-b", 1)]);
    const before = await notFound();
    expect((await proxyGet(fabios.nameServerIndex, "/rocketmq/nsaddr-nobody")).status).toBe(404);
    expect(await notFound()).toBe(before + 1);
  });

  // Each of the tests below changes a subgroup of its own, and waits for discovery (seconds) more than it works:
  // they run together.
  it.concurrent(
    "fails the probe and raises NameServerLookupFailingEverywhere when the service loses its route tag",
    async () => {
      await waitForProbe("nsaddr-a", 1);
      const stack = modelOf(cfg).nameServerIndexStack;
      // Still a NameServer-index service of the stack (member and marker tags), but no longer routed.
      const untagged = [nameServerIndexMemberTag(stack), nameServerIndexMarkerTag(stack, "nsaddr-a")];
      await registerIndexService("rocketmq-a", "nsaddr-a", NAMESERVERS, { tags: untagged });
      await waitFor(
        "the index Fabio to answer 404",
        async () => ((await proxyGet(fabios.nameServerIndex, "/rocketmq/nsaddr-a")).status === 404 ? true : undefined),
        WAIT,
      );
      await waitForProbe("nsaddr-a", 0);
      await waitForAlert("NameServerLookupFailingEverywhere", { subgroup: "nsaddr-a", service: "rocketmq-a" });
      await registerIndexService("rocketmq-a", "nsaddr-a", NAMESERVERS);
      await waitForProbe("nsaddr-a", 1);
    },
  );

  it.concurrent(
    "fails the probe when the service's check fails, raising NameServerIndexServiceUnhealthy alone",
    async ({ expect }) => {
      await waitForProbe("nsaddr-b", 1);
      await http(`${consul.url}/v1/agent/check/fail/rocketmq-b-ttl`, { method: "PUT" });
      await waitForProbe("nsaddr-b", 0);
      await waitForAlert("NameServerIndexServiceUnhealthy", { service: "rocketmq-b" });
      await waitForNextEvaluation(prometheus);
      // One cause, one alert: the lookup alerts leave a service without a passing instance to it.
      expect((await alerts()).filter((a) => a.subgroup === "nsaddr-b")).toEqual([]);
      await http(`${consul.url}/v1/agent/check/pass/rocketmq-b-ttl`, { method: "PUT" });
      await waitForProbe("nsaddr-b", 1);
    },
  );

  it.concurrent("fails the probe of a 200 whose body is not an address list", async () => {
    await registerIndexService("rocketmq-html", "nsaddr-html", "<html><body>Service Unavailable</body></html>");
    await waitFor(
      "the index Fabio to route nsaddr-html",
      async () => ((await proxyGet(fabios.nameServerIndex, "/rocketmq/nsaddr-html")).status === 200 ? true : undefined),
      WAIT,
    );
    await waitForProbe("nsaddr-html", 0);
    await waitForAlert("NameServerLookupFailingEverywhere", { subgroup: "nsaddr-html" });
    await deregister(consul, "rocketmq-html");
  });

  it.concurrent("makes a new cluster's service a probe target without a re-render or a reload", async ({ expect }) => {
    const config = fs.readFileSync(files.configFile, "utf8");
    const lastReload = async () =>
      /^prometheus_config_last_reload_success_timestamp_seconds (\S+)$/m.exec(
        (await http(`${prometheus.url}/metrics`)).text,
      )?.[1];
    const reloadedAt = await lastReload();
    expect(reloadedAt).toBeDefined();
    await registerIndexService("rocketmq-new", "nsaddr-new", NAMESERVERS);
    await waitForProbe("nsaddr-new", 1);
    expect(fs.readFileSync(files.configFile, "utf8")).toBe(config);
    expect(await lastReload()).toBe(reloadedAt);
  });
});
