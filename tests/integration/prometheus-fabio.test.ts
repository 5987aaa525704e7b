// The way users reach Prometheus: through the Prometheus Fabio, to a real Prometheus started from the rendered
// config and registered in Consul as its rendered jobspec registers it. What Nomad adds (placement, the
// dynamic port) is proven in the Nomad tier; everything after the allocation starts is proven here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fabioJob, firstRoutedResponse, proxyGet, startFabio, type Fabio } from "../support/fabio";
import { fabioPropertiesOf } from "../support/fabio-task";
import { freePort, requireTools, stopAll, waitFor } from "../support/processes";
import { startPrometheus, writePrometheusFiles, type PrometheusServer } from "../support/prometheus";
import { loadStack, modelOf } from "../support/stack";
import { startConsul, type ConsulAgent } from "../support/consul";
import { jobspecServicesOf, registerJobServices } from "../support/nomad-registration";
import { renderJobs } from "../../render";

const available = requireTools("consul", "fabio", "prometheus");
// dev runs without Consul ACLs; the token path is proven against a default-deny Consul in consul-acl.test.ts.
const stack = "dev";
const cfg = loadStack(stack);

describe.runIf(available)("Prometheus behind the Prometheus Fabio, all three started from the rendered files", () => {
  let consul: ConsulAgent;
  let prometheus: PrometheusServer;
  let index: Fabio;
  let front: Fabio;

  beforeAll(async () => {
    consul = await startConsul();
    const port = await freePort();
    // As Nomad registers the job's service: name, port label and tags from the rendered jobspec, checked on /-/ready.
    const prometheusJob = renderJobs(modelOf(cfg, stack)).find((job) => job.kind === "prometheus")!;
    const [label] = (await jobspecServicesOf(prometheusJob)).map((service) => service.portLabel);
    await registerJobServices(
      consul,
      prometheusJob,
      { [label!]: port },
      { checkUrl: (p) => `http://127.0.0.1:${p}/-/ready` },
    );
    prometheus = await startPrometheus(writePrometheusFiles(cfg, consul.httpAddr), port);
    front = await startFabio(await fabioPropertiesOf(fabioJob(cfg, stack, "prometheus")), consul);
    index = await startFabio(await fabioPropertiesOf(fabioJob(cfg, stack, "nameServerIndex")), consul);
  });

  afterAll(stopAll);

  // Prometheus is routed once its /-/ready check passes, which takes Consul a check interval or two.
  const throughFabio = (urlPath: string) => firstRoutedResponse(front, urlPath, 30_000);

  it("answers /-/ready through the Fabio once the service's check passes", async () => {
    const ready = await throughFabio("/-/ready");
    expect(ready.text).toMatch(/Prometheus Server is Ready/);
  });

  it("is the Prometheus release the job deploys", async () => {
    const { text } = await throughFabio("/api/v1/status/buildinfo");
    const { data } = JSON.parse(text) as { data: { version: string } };
    expect(cfg.prometheus.image).toBe(`prom/prometheus:v${data.version}`);
  });

  it("runs the rendered scrape config and finds itself through Consul, up and labelled with the cluster", async () => {
    const query = encodeURIComponent(`up{job="${cfg.prometheus.jobName}"}`);
    const result = await waitFor(
      "Prometheus' self-scrape through discovery",
      async () => {
        const { status, text } = await proxyGet(front, `/api/v1/query?query=${query}`);
        if (status !== 200) return undefined;
        const series = (
          JSON.parse(text) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
        ).data.result;
        return series.length > 0 ? series : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500, process: prometheus.process },
    );
    expect(result.map((series) => [series.metric.cluster, series.value[1]])).toEqual([[cfg.clusterName, "1"]]);
  });

  it("is not reachable through the NameServer-index Fabio", async () => {
    await throughFabio("/-/ready");
    for (const urlPath of ["/", "/-/ready", "/api/v1/status/buildinfo"]) {
      expect((await proxyGet(index, urlPath)).status, urlPath).toBe(404);
    }
  });
});
