import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import {
  alertRules,
  alertRulesYaml,
  prometheusConfig,
  prometheusYaml,
  renderPrometheusJob,
  type ScrapeConfig,
} from "../../render";
import { only, parseJobspec, type HclBody } from "../support/hcl";
import { loadStack, minimalRaw, parseRaw, STACKS, modelOf } from "../support/stack";
import { EXPECTED_ALERTS } from "../support/alerts";

const NS = "rocketmq-system-jobs";

describe.each(STACKS)("the %s stack's Prometheus job", (stack) => {
  const cfg = loadStack(stack);
  // Rendered once for the seven tests below; each parses its own copy.
  const hcl = renderPrometheusJob(modelOf(cfg, stack)).hcl;
  const parsed = () => parseJobspec(hcl, "prometheus");

  it("is a service job on the NameServer hosts with a dynamic port, since 9090 there belongs to Fabio", async () => {
    const { id, job, group } = await parsed();
    expect(id).toBe(cfg.prometheus.jobName);
    expect(job.type).toBe("service");
    expect(only(job.constraint)).toEqual({ attribute: "${node.class}", value: "nameServer" });
    const ports = only<HclBody>(group.network).port as Record<string, HclBody[]>;
    expect(ports.http).toEqual([{}]);
  });

  it("registers a service the Prometheus Fabio routes `/` to, checked on /-/healthy and /-/ready", async () => {
    const { group } = await parsed();
    const service = only(group.service);
    expect(service).toMatchObject({ name: cfg.prometheus.jobName, port: "http" });
    expect(service.tags).toEqual([`${stack}.rmq-prometheus-/`, `cluster-${stack}`]);
    expect((service.check as HclBody[]).map((c) => [c.type, c.path])).toEqual([
      ["http", "/-/healthy"],
      ["http", "/-/ready"],
    ]);
  });

  it("rolls out health-gated and reverts a bad version automatically", async () => {
    const { job } = await parsed();
    expect(only(job.update)).toMatchObject({ max_parallel: 1, health_check: "checks", auto_revert: true });
  });

  it("reloads on config change with SIGHUP and embeds exactly the YAML built in TypeScript", async () => {
    const { task } = await parsed();
    const [config, rules] = task.template as HclBody[];
    expect(config).toMatchObject({
      destination: "secrets/prometheus.yml",
      change_mode: "signal",
      change_signal: "SIGHUP",
    });
    expect(config!.data).toBe(prometheusYaml(modelOf(cfg)));
    expect(parseYaml(config!.data as string)).toEqual(prometheusConfig(modelOf(cfg)));
    expect(rules).toMatchObject({ destination: "local/rules/rocketmq-system.rules.yml", change_mode: "signal" });
    expect(rules!.data).toBe(alertRulesYaml(modelOf(cfg)));
    expect(parseYaml(rules!.data as string)).toEqual(alertRules(modelOf(cfg)));
  });

  it("gives consul-template delimiters for the rule file that the rules never contain", async () => {
    const { task } = await parsed();
    const rules = (task.template as HclBody[])[1]!;
    expect(rules.left_delimiter).toBe("[%");
    expect(rules.right_delimiter).toBe("%]");
    expect(rules.data).toContain("{{ $labels.instance }}");
    expect(rules.data).not.toContain("[%");
  });

  it("passes retention settings and a TSDB path inside persistent storage", async () => {
    const { group, task } = await parsed();
    const args = only(task.config).args as string[];
    expect(args).toContain(`--storage.tsdb.retention.time=${cfg.prometheus.retentionTime}`);
    expect(args).toContain("--config.file=/secrets/prometheus.yml");
    // Host networking on a dynamic port: Nomad fills in the port when it starts the task.
    expect(only(task.config).network_mode).toBe("host");
    expect(args).toContain("--web.listen-address=${NOMAD_ADDR_http}");
    const tsdb = args.find((a) => a.startsWith("--storage.tsdb.path="))!.split("=")[1];
    const storage = cfg.prometheus.storage;
    if (storage.kind === "ephemeralDisk") {
      expect(only(group.ephemeral_disk)).toEqual({ size: storage.sizeMb, sticky: true, migrate: true });
      expect(tsdb).toBe("/alloc/data/prometheus");
    } else {
      expect(only((group.volume as Record<string, unknown>)["prometheus-data"])).toEqual({
        type: "host",
        source: storage.volume,
        read_only: false,
      });
      expect(only(task.volume_mount)).toEqual({ volume: "prometheus-data", destination: "/prometheus" });
      expect(tsdb).toBe("/prometheus");
    }
  });

  it("reserves the configured resources", async () => {
    const { task } = await parsed();
    expect(only(task.resources)).toEqual(cfg.prometheus.resources);
  });
});

describe("prometheus.yml", () => {
  const cfg = loadStack("prod");
  const jobs = Object.fromEntries(prometheusConfig(modelOf(cfg)).scrape_configs.map((j) => [j.job_name, j])) as Record<
    string,
    ScrapeConfig
  >;

  it("discovers Nomad servers and clients through Consul and keeps only their HTTP endpoints", () => {
    for (const [name, service] of [
      ["nomad-servers", "prod-nomad"],
      ["nomad-clients", "prod-nomad-client"],
    ] as const) {
      expect(jobs[name]).toMatchObject({
        metrics_path: "/v1/metrics",
        params: { format: ["prometheus"] },
        consul_sd_configs: [{ services: [service] }],
      });
      expect(jobs[name]!.relabel_configs[0]).toEqual({
        source_labels: ["__meta_consul_tags"],
        regex: ".*,http,.*",
        action: "keep",
      });
    }
  });

  it("scrapes Consul servers' agent metrics", () => {
    expect(jobs["consul-servers"]).toMatchObject({
      metrics_path: "/v1/agent/metrics",
      params: { format: ["prometheus"] },
      consul_sd_configs: [{ services: ["consul_http"] }],
    });
  });

  it("scrapes the Consul servers of the cluster consul.serverCluster names, on a Consul another stack built", () => {
    const shared = prometheusConfig(modelOf({ ...cfg, consul: { ...cfg.consul, serverCluster: "platform" } }));
    const byName = Object.fromEntries(shared.scrape_configs.map((job) => [job.job_name, job]));
    expect(byName["consul-servers"]!.consul_sd_configs!.map((sd) => sd.tags)).toEqual([["cluster-platform"]]);
    expect(byName["consul-servers"]!.relabel_configs.at(-1)).toEqual({ target_label: "cluster", replacement: "prod" });
    expect(byName["fabio"]!.consul_sd_configs!.map((sd) => sd.tags)).toEqual([["cluster-prod"]]);
  });

  it("discovers, in every scrape job, only the instances tagged with this cluster", () => {
    const fromConsul = Object.values(jobs).filter((job) => job.consul_sd_configs !== undefined);
    expect(fromConsul.map((job) => job.job_name)).toContain("nameserver-index-services");
    for (const job of fromConsul) {
      // NameServer-index services belong to RocketMQ clusters: the contract's member tag names the stack.
      const tag = job.job_name === "nameserver-index-services" ? "rocketmq-nsindex:prod" : "cluster-prod";
      expect(job.consul_sd_configs!.map((sd) => sd.tags)).toEqual([[tag]]);
    }
  });

  it("scrapes both Fabios and Prometheus itself", () => {
    expect(jobs.fabio!.consul_sd_configs![0]!.services).toEqual([
      `${cfg.fabio.nameServerIndex.jobName}-metrics`,
      `${cfg.fabio.prometheus.jobName}-metrics`,
    ]);
    expect(jobs.prometheus!.consul_sd_configs![0]!.services).toEqual([cfg.prometheus.jobName]);
  });

  it("labels every target with the cluster", () => {
    for (const job of Object.values(jobs)) {
      expect(job.relabel_configs.at(-1)).toEqual({ target_label: "cluster", replacement: "prod" });
    }
  });

  it("asks the Consul agent on the task's own node, at consul.address like Fabio (host networking)", () => {
    for (const job of Object.values(jobs).filter((j) => j.consul_sd_configs !== undefined)) {
      expect(job.consul_sd_configs![0]!.server).toBe(cfg.consul.address);
    }
  });

  it("uses the stack's scrape and evaluation intervals (the seed scraped every 5 s)", () => {
    expect(prometheusConfig(modelOf(cfg)).global).toMatchObject({ scrape_interval: "5s", evaluation_interval: "5s" });
  });

  it("labels every alert it sends with the cluster, so group_by [alertname, cluster] and the receiver see it", () => {
    // Aggregated alerts (count(...), absent(...)) lose the targets' cluster label; an external label is
    // added to every alert Prometheus sends (Pulumi.prod.yaml names the cluster prod).
    expect(prometheusConfig(modelOf(cfg)).global.external_labels).toEqual({ cluster: "prod" });
  });

  it("loads the rule files the job writes", () => {
    expect(prometheusConfig(modelOf(cfg)).rule_files).toEqual(["/local/rules/*.yml"]);
  });

  it("is byte-identical across renders and free of YAML aliases", () => {
    expect(prometheusYaml(modelOf(loadStack("prod")))).toBe(prometheusYaml(modelOf(loadStack("prod"))));
    expect(prometheusYaml(modelOf(cfg))).not.toMatch(/[&*]a\d/);
  });
});

describe("alert rules", () => {
  const rules = alertRules(modelOf(loadStack("prod"))).groups[0]!.rules;
  const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));

  it("covers Nomad and Consul servers down or missing, Consul leaderless, Fabio down or missing on every host or one, any target down", () => {
    expect(Object.keys(byName)).toEqual([...EXPECTED_ALERTS]);
    expect(byName.NomadServerDown!.expr).toBe('up{job="nomad-servers"} == 0');
    expect(byName.FabioDown!.expr).toBe('up{job="fabio"} == 0');
    // Servers that leave discovery take their `up` series with them: count against bootstrap_expect.
    expect(byName.NomadServersMissing!.expr).toBe('(count(up{job="nomad-servers"}) or vector(0)) < 3');
    expect(byName.ConsulServersMissing!.expr).toBe('(count(up{job="consul-servers"}) or vector(0)) < 3');
    // A host whose Fabio allocation stops takes its target out of discovery while the other hosts stay up.
    expect(byName.NameServerIndexFabioHostMissing!.expr).toBe(
      'count(up{job="fabio",service="fabio-nameserver-index-metrics"}) < max_over_time(count(up{job="fabio",service="fabio-nameserver-index-metrics"})[1h:1m])',
    );
    // One cause, one alert: the catch-all leaves out every job a specific *Down alert watches.
    // The probe jobs are NameServerLookupProberDown's: one alert when blackbox_exporter is down.
    expect(byName.TargetDown!.expr).toBe(
      'up{job!~"consul-servers|fabio|nameserver-index-services|nameserver-lookups|nomad-servers"} == 0',
    );
    for (const rule of rules)
      expect(rule.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks/${rule.alert}\\.md$`));
  });

  it("waits the configured time before calling a target down", () => {
    const cfg = parseRaw({ ...minimalRaw(), [`${NS}:prometheus`]: { targetDownFor: "10m" } });
    expect(alertRules(modelOf(cfg)).groups[0]!.rules.find((r) => r.alert === "TargetDown")!.for).toBe("10m");
  });
});

describe("Alertmanager", () => {
  it("is discovered through Consul when the stack names its service, among this cluster's instances only", () => {
    const cfg = parseRaw({
      ...minimalRaw(),
      [`${NS}:prometheus`]: { alerting: { delivery: "discovered", service: "alertmanager" } },
    });
    expect(prometheusConfig(modelOf(cfg)).alerting).toEqual({
      alertmanagers: [
        { consul_sd_configs: [{ server: "127.0.0.1:8500", services: ["alertmanager"], tags: ["cluster-test"] }] },
      ],
    });
  });

  it("is left out when the stack names none (alerts show in Prometheus only)", () => {
    expect(prometheusConfig(modelOf(parseRaw(minimalRaw()))).alerting).toBeUndefined();
  });
});

describe("Prometheus placement", () => {
  it("drops the constraint when any host may run Prometheus", async () => {
    const cfg = parseRaw({ ...minimalRaw(), [`${NS}:prometheus`]: { placement: { by: "anyHost" } } });
    const { job } = await parseJobspec(renderPrometheusJob(modelOf(cfg, "test")).hcl);
    expect(job.constraint).toBeUndefined();
  });

  it("can use its own node class", async () => {
    const cfg = parseRaw({
      ...minimalRaw(),
      [`${NS}:prometheus`]: { placement: { by: "nodeClass", nodeClass: "monitoring" } },
    });
    const { job } = await parseJobspec(renderPrometheusJob(modelOf(cfg, "test")).hcl);
    expect(only(job.constraint)).toEqual({ attribute: "${node.class}", value: "monitoring" });
  });
});
