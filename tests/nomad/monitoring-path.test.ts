// The whole monitoring path on one machine: agents started from the generated image files, discovered
// through Consul, scraped by a Prometheus running the rendered config and rules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJobs, SCRAPE_JOBS } from "../../render";
import { startImageAgents, type ImageAgents } from "../support/agents";
import { registerJobServices, testPortsOf } from "../support/nomad-registration";
import { startFabio } from "../support/fabio";
import { fabioPropertiesOf } from "../support/fabio-task";
import { http, requireTools, stopAll, waitFor } from "../support/processes";
import {
  activeTargets,
  query,
  startPrometheus,
  waitForTarget,
  writePrometheusFiles,
  type PrometheusServer,
} from "../support/prometheus";
import { loadStack, modelOf } from "../support/stack";
import { EXPECTED_ALERTS } from "../support/alerts";

const available = requireTools("consul", "nomad", "prometheus", "fabio");
// dev runs without Consul ACLs, so the rendered config carries no token lookups to stand in for; the
// token path is proven against a default-deny Consul in consul-acl.test.ts.
const stack = "dev";
const cfg = loadStack(stack);

describe.runIf(available)(`the ${stack} stack's monitoring path on real agents`, () => {
  let agents: ImageAgents;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    agents = await startImageAgents(cfg, stack);
    // Nomad registers `dev-nomad` and `dev-nomad-client` in Consul the way a production agent does.
    await waitFor(
      "Nomad's services in Consul",
      async () => {
        const services = await agents.consul.getJson<Record<string, string[]>>("/v1/catalog/services");
        return "dev-nomad" in services && "dev-nomad-client" in services ? true : undefined;
      },
      { timeoutMs: 20_000, process: agents.nomad.process },
    );
    // The NameServer-index Fabio from its rendered properties (addresses moved to loopback, see forTestMachine),
    // with the services its jobspec declares (names, port labels, tags) registered the way Nomad would.
    const consulAddr = `127.0.0.1:${agents.httpPort}`;
    const model = modelOf(cfg, stack);
    const indexJob = renderJobs(model).find((job) => job.name === model.fabios.nameServerIndex.name);
    expect(indexJob, `no rendered job named ${model.fabios.nameServerIndex.name}`).toBeDefined();
    const fabio = await startFabio(await fabioPropertiesOf(indexJob!), { httpAddr: consulAddr });
    const registered = await registerJobServices(
      { url: agents.consul.url },
      indexJob!,
      await testPortsOf(indexJob!, fabio.movedPorts),
    );
    // The scrape job discovers the metrics service; the test is void if the jobspec no longer declares it.
    expect(registered.map((service) => service.name)).toContain(model.fabios.nameServerIndex.metricsService);
    // writePrometheusFiles documents its substitutions (the node's Consul agent, the rules directory) and the test timing.
    prometheus = await startPrometheus(writePrometheusFiles(cfg, consulAddr));
  });

  afterAll(async () => {
    await Promise.all([agents?.consul.stop(), agents?.nomad.stop()]);
    await stopAll();
  });

  it.each([SCRAPE_JOBS.nomadServers, SCRAPE_JOBS.nomadClients, SCRAPE_JOBS.consulServers, SCRAPE_JOBS.fabio])(
    "reports the %s target up with the cluster label",
    async (job) => {
      const target = await waitForTarget(prometheus, job, "up");
      expect(target.labels.cluster).toBe(cfg.clusterName);
    },
  );

  it("scrapes only Nomad's HTTP endpoint, not its RPC or Serf ports", async () => {
    await waitForTarget(prometheus, SCRAPE_JOBS.nomadServers, "up");
    const nomadTargets = (await activeTargets(prometheus)).filter((t) => t.labels.job === SCRAPE_JOBS.nomadServers);
    expect(nomadTargets).toHaveLength(1);
    expect(nomadTargets[0]!.scrapeUrl).toBe(`${agents.nomad.url}/v1/metrics?format=prometheus`);
  });

  it("can query node metrics that exist only with the generated telemetry settings", async () => {
    // publish_node_metrics + prometheus_metrics; node_class comes from the same config as the Fabio constraint.
    const series = await waitFor(
      "nomad_client_allocated_memory in Prometheus",
      async () => {
        // A dev agent is server and client at once, so both Nomad scrape jobs carry the node metrics.
        const result = await query(
          prometheus,
          `nomad_client_allocated_memory{cluster="${cfg.clusterName}",job="${SCRAPE_JOBS.nomadClients}"}`,
        );
        return result.length > 0 ? result : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000, process: prometheus.process },
    );
    expect(series[0]!.metric).toMatchObject({ job: SCRAPE_JOBS.nomadClients, node_class: "nameServer" });
  });

  it("loads the rendered alert rules", async () => {
    const { text } = await http(`${prometheus.url}/api/v1/rules`);
    const names = (JSON.parse(text) as { data: { groups: { rules: { name: string }[] }[] } }).data.groups.flatMap((g) =>
      g.rules.map((r) => r.name),
    );
    expect(names).toEqual([...EXPECTED_ALERTS]);
  });

  it("alerts when the Nomad agent stops, whether its targets go down or leave discovery", async () => {
    await waitForTarget(prometheus, SCRAPE_JOBS.nomadServers, "up");
    const before = await query(prometheus, 'ALERTS{alertname="NomadServersMissing"}');
    expect(before).toEqual([]);
    await agents.nomad.stop();
    // Nomad deregisters its services on shutdown, so `up == 0` may never be seen; the count-based
    // alert must still notice (pending first: it fires after its `for:`).
    const alert = await waitFor(
      "NomadServersMissing to become pending or firing",
      async () => {
        const result = await query(prometheus, 'ALERTS{alertname="NomadServersMissing"}');
        return result[0];
      },
      { timeoutMs: 40_000, intervalMs: 500, process: prometheus.process },
    );
    expect(["pending", "firing"]).toContain(alert.metric.alertstate);
    // Consul is still there and still scraped.
    expect((await waitForTarget(prometheus, SCRAPE_JOBS.consulServers, "up")).labels.cluster).toBe(cfg.clusterName);
  });
});
