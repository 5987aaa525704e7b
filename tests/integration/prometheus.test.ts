import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  alertRules,
  CAUSE_TEST_PREFIX,
  RULE_FILE,
  regexQuote,
  RULE_TEST_FILE,
  renderArtifacts,
  renderJobs,
  scenarioTestPrefix,
} from "../../render";
import { jobspecServicesOf, registerJobServices } from "../support/nomad-registration";
import { EXPECTED_ALERTS } from "../support/alerts";
import { loadStack, STACKS, modelOf } from "../support/stack";
import { registerService, startConsul, type ConsulAgent } from "../support/consul";
import { freePort, http, requireTools, runTool, runToolAsync, stopAll, tempDir, waitFor } from "../support/processes";
import {
  activeTargets,
  startPrometheus,
  waitForTarget,
  writePrometheusFiles,
  writeRenderedPrometheusFiles,
  type PrometheusServer,
} from "../support/prometheus";

const available = requireTools("consul", "prometheus", "promtool");

describe.runIf(available).each(STACKS)("the %s stack's rendered Prometheus files", (stack) => {
  const files = writeRenderedPrometheusFiles(loadStack(stack), "127.0.0.1:8500");

  it("pass promtool check config (which also loads the rule file)", () => {
    const result = runTool("promtool", ["check", "config", files.configFile]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });

  it("pass promtool check rules with every alert", () => {
    const result = runTool("promtool", ["check", "rules", files.ruleFile]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${EXPECTED_ALERTS.length} rules found`);
  });
});

describe.runIf(available).each(STACKS)("the %s stack's Prometheus files with the tests' timing", (stack) => {
  const rendered = writeRenderedPrometheusFiles(loadStack(stack), "127.0.0.1:8500");
  const timed = writePrometheusFiles(loadStack(stack), "127.0.0.1:8500");
  const read = (file: string) => parseYaml(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  /** Everything but the keys PROMETHEUS_TEST_TIMING overrides, and the temp dir the rules are in. */
  const untimed = (file: string, dir: string): unknown =>
    JSON.parse(
      JSON.stringify(read(file), (key, value: unknown) =>
        ["scrape_interval", "evaluation_interval", "scrape_timeout", "refresh_interval", "for"].includes(key)
          ? undefined
          : value,
      ).replaceAll(dir, "<dir>"),
    );

  it("differ from the rendered ones only in intervals, discovery refresh and `for:`", () => {
    expect(untimed(timed.configFile, timed.dir)).toEqual(untimed(rendered.configFile, rendered.dir));
    expect(untimed(timed.ruleFile, timed.dir)).toEqual(untimed(rendered.ruleFile, rendered.dir));
    const config = read(timed.configFile) as {
      global: Record<string, string>;
      scrape_configs: Record<string, unknown>[];
    };
    expect(config.global).toMatchObject({ scrape_interval: "1s", evaluation_interval: "1s" });
    // Every discovery section (Consul, file) of every scrape job.
    const refresh = config.scrape_configs.flatMap((job) =>
      Object.entries(job)
        .filter(([key]) => key.endsWith("_sd_configs"))
        .flatMap(([, sds]) => (sds as { refresh_interval: string }[]).map((sd) => sd.refresh_interval)),
    );
    expect(new Set(refresh)).toEqual(new Set(["1s"]));
    const rules = read(timed.ruleFile) as { groups: { rules: { for: string }[] }[] };
    expect(new Set(rules.groups.flatMap((group) => group.rules.map((rule) => rule.for)))).toEqual(new Set(["1s"]));
  });

  it("pass promtool check config and check rules", () => {
    for (const args of [
      ["check", "config", timed.configFile],
      ["check", "rules", timed.ruleFile],
    ]) {
      const result = runTool("promtool", args);
      expect(result.code, result.output).toBe(0);
    }
  });
});

describe.runIf(available)("promtool test rules on the rendered rule tests", () => {
  // A stack name, or the prod stack run with other agent versions (images.consul.version, images.nomad.version).
  type Target = string | { consul: string; nomad: string };
  const configOf = (target: Target) => {
    if (typeof target === "string") return loadStack(target);
    const prod = loadStack("prod");
    return {
      ...prod,
      images: {
        ...prod.images,
        consul: { ...prod.images.consul, version: target.consul },
        nomad: { ...prod.images.nomad, version: target.nomad },
      },
    };
  };
  const renderedPrometheusDir = (target: Target, edit: (rules: string) => string = (r) => r): string => {
    const dir = tempDir("rules");
    const stack = typeof target === "string" ? target : "prod";
    for (const artifact of renderArtifacts(modelOf(configOf(target), stack)).filter((a) =>
      a.path.startsWith("prometheus/"),
    )) {
      const content = artifact.path.endsWith(RULE_FILE) ? edit(artifact.content) : artifact.content;
      fs.writeFileSync(path.join(dir, path.basename(artifact.path)), content);
    }
    return dir;
  };
  // Concurrent: each is a promtool run of its own, and they keep both cores busy once other files are done.
  const testRules = (dir: string, run?: string) =>
    runToolAsync("promtool", ["test", "rules", ...(run ? [`--run=${run}`] : []), path.join(dir, RULE_TEST_FILE)]);

  it.concurrent.for(STACKS)(
    "prove every alert of the %s stack fires after its `for:` and resolves when the target is back",
    async (stack, { expect }) => {
      const result = await testRules(renderedPrometheusDir(stack));
      expect(result.output).toContain("SUCCESS");
      expect(result.code, result.output).toBe(0);
    },
  );

  it.concurrent(
    "prove every alert fires and resolves as Consul 1.16.3 and Nomad 1.6.2 report it",
    async ({ expect }) => {
      const result = await testRules(renderedPrometheusDir({ consul: "1.16.3", nomad: "1.6.2" }));
      expect(result.output).toContain("SUCCESS");
      expect(result.code, result.output).toBe(0);
    },
  );

  it.concurrent.for<[string, string, string, Target?]>([
    ["FabioDown", 'up{job="fabio"} == 0', 'up{job="fabio"} == 2'],
    ["TargetDown", "for: 5m", "for: 30m"],
    ["NomadServerDown", "Nomad server {{ $labels.instance }} is down", "Nomad server {{ $labels.job }} is down"],
    ["NomadServersMissing", "or vector(0)) < ", "or vector(0)) <= "],
    // Watching both Fabios together lets the other Fabio's targets hide the missing one.
    [
      "NameServerIndexFabioMissing",
      'absent(up{job="fabio",service="fabio-nameserver-index-metrics"})',
      'absent(up{job="fabio"})',
    ],
    // One cause, one alert: a Fabio that is down but registered is FabioDown's alone.
    [
      "TargetDown",
      'up{job!~"consul-servers|fabio|nameserver-index-services|nameserver-lookups|nomad-servers"} == 0',
      "up == 0",
    ],
    // One cause, one alert: a host whose index Fabio is down is FabioDown's, not one alert per subgroup.
    [
      "NameServerLookupFailing",
      ' unless on (cluster, host) (up{job="fabio",service="fabio-nameserver-index-metrics"} == 0)',
      "",
    ],
    // A service without a passing instance is NameServerIndexServiceUnhealthy's alone.
    [
      "NameServerLookupFailingEverywhere",
      '"}) == 0) unless on (cluster, service)',
      '"}) == 0) or on (cluster, service)',
    ],
    [
      "NameServerIndexFabioHostMissing",
      'count(up{job="fabio",service="fabio-nameserver-index-metrics"}) <',
      'count(up{job="fabio",service="fabio-nameserver-index-metrics"} == 1) <',
    ],
    // Compared with the current count instead of the last hour's, one host's loss goes unnoticed.
    ["NameServerIndexFabioHostMissing", "[1h:1m])", "[1m:1m])"],
    // Read as Consul 1.8 reports it only (the rule before issue 13), it misses a leaderless Consul 1.13+.
    [
      "ConsulNoLeader",
      'max by (job) (consul_server_isLeader{job="consul-servers"}) == 0 or ',
      "",
      { consul: "1.16.3", nomad: "1.6.2" },
    ],
    // Read as Consul 1.13+ reports it only, it misses a leaderless Consul 1.8.
    [
      "ConsulNoLeader",
      ' or (absent(consul_server_isLeader{job="consul-servers"}) and absent(consul_autopilot_healthy{job="consul-servers"}))',
      "",
    ],
    ["NomadNoLeader", "absent(nomad_nomad_autopilot_healthy", "absent(nomad_autopilot_healthy"],
    [
      "PrometheusConfigReloadFailed",
      'prometheus_config_last_reload_successful{job="prometheus"} == 0',
      "prometheus_config_last_reload_successful == 1",
    ],
    // dev has one Nomad server.
    ["NomadServersMissing", "No Nomad server is registered", "Fewer than 1 Nomad servers are registered", "dev"],
  ])("fail when %s is broken, so they test something", async ([alert, from, to, target = "prod"], { expect }) => {
    const dir = renderedPrometheusDir(target, (rules) => rules.replace(from, to));
    // Only the cases that check this alert (its own scenarios and every cause's): the others cannot report it.
    const result = await testRules(dir, `^(${regexQuote(scenarioTestPrefix(alert))}|${regexQuote(CAUSE_TEST_PREFIX)})`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`alertname: ${alert},`);
  });
});

describe.runIf(available)("a real Prometheus configured by the rendered file", () => {
  const cfg = loadStack("prod");
  let consul: ConsulAgent;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    // Consul with the Prometheus endpoint on (any retention above 0s) and the consul_http service the
    // images register; the agent-config tests prove those generated files, this test proves the scrape.
    consul = await startConsul({ extraHcl: 'telemetry {\n  prometheus_retention_time = "10s"\n}\n' });
    const port = Number(consul.httpAddr.split(":")[1]);
    await registerService(consul, {
      id: "consul_http",
      name: "consul_http",
      port,
      tags: [`cluster-${cfg.clusterName}`, "http"],
      checkUrl: `${consul.url}/v1/status/leader`,
    });
    await registerService(consul, {
      id: "consul_http-other-cluster",
      name: "consul_http",
      port,
      address: "127.0.0.2",
      tags: ["cluster-someone-else", "http"],
    });
    // Registered before Prometheus starts, as Nomad would: discovery then finds it on the first sync.
    const prometheusPort = await freePort();
    // Its name, port label and tags from the rendered jobspec: each scrape job keeps only its cluster's instances.
    const prometheusJob = renderJobs(modelOf(cfg, "prod")).find((job) => job.kind === "prometheus")!;
    const [label] = (await jobspecServicesOf(prometheusJob)).map((service) => service.portLabel);
    await registerJobServices(consul, prometheusJob, { [label!]: prometheusPort });
    prometheus = await startPrometheus(writePrometheusFiles(cfg, consul.httpAddr), prometheusPort);
  });

  afterAll(stopAll);

  it("reports the Consul target up, with the cluster label, from the agent's Prometheus endpoint", async () => {
    const target = await waitForTarget(prometheus, "consul-servers", "up");
    expect(target.labels.cluster).toBe(cfg.clusterName);
    expect(target.scrapeUrl).toBe(`http://${consul.httpAddr}/v1/agent/metrics?format=prometheus`);
  });

  it("keeps only the configured cluster's Consul servers", async () => {
    await waitForTarget(prometheus, "consul-servers", "up");
    const consulTargets = (await activeTargets(prometheus)).filter((t) => t.labels.job === "consul-servers");
    expect(consulTargets.map((t) => t.labels.instance)).toEqual([consul.httpAddr]);
  });

  it("scrapes itself through its own Consul service, labelled with the cluster", async () => {
    const target = await waitForTarget(prometheus, "prometheus", "up");
    expect(target.labels.cluster).toBe(cfg.clusterName);
  });
});

describe.runIf(available)("a real Prometheus sent SIGHUP with a config it rejects", () => {
  afterAll(stopAll);

  it("keeps running and reports the failed reload in the series PrometheusConfigReloadFailed reads", async () => {
    // No Consul needed: discovery failing does not stop Prometheus, and the series is on its own /metrics.
    const files = writePrometheusFiles(loadStack("prod"), "127.0.0.1:1");
    const prometheus = await startPrometheus(files);
    const reloadSeries = async () =>
      /^prometheus_config_last_reload_successful (\d)$/m.exec((await http(`${prometheus.url}/metrics`)).text)?.[1];
    expect(await reloadSeries()).toBe("1");
    fs.appendFileSync(files.configFile, "\nscrape_configs: this is not a list\n");
    prometheus.process.child.kill("SIGHUP");
    const value = await waitFor(
      "the failed reload in /metrics",
      async () => ((await reloadSeries()) === "0" ? "0" : undefined),
      { process: prometheus.process },
    );
    expect(value).toBe("0");
    expect((await http(`${prometheus.url}/-/ready`)).status).toBe(200);
    const rule = alertRules(modelOf(loadStack("prod"))).groups[0]!.rules.find(
      (r) => r.alert === "PrometheusConfigReloadFailed",
    )!;
    expect(rule.expr).toMatch(/^prometheus_config_last_reload_successful\{.*\} == 0$/);
  });
});
