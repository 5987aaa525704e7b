// Config that validation used to accept and every host would then fail on: Fabio ports the agents hold, service
// names the scrape config already discovers, absurd sizes and intervals, lists with duplicates.
import { describe, expect, it } from "vitest";
import type { RawConfig } from "../../config";
import { prometheusConfig } from "../../render";
import { minimalRaw, parseRaw, configErrorOf, modelOf } from "../support/stack";

const NS = "rocketmq-system-jobs";

const withKeys = (keys: Record<string, unknown>): RawConfig => ({
  ...minimalRaw(),
  ...Object.fromEntries(Object.entries(keys).map(([key, value]) => [`${NS}:${key}`, value])),
});

describe("Fabio ports on a host that runs the Consul and Nomad agents", () => {
  it("rejects a UI port on Consul's HTTP port, naming the key and the agent", () => {
    expect(configErrorOf(withKeys({ fabio: { nameServerIndex: { uiPort: 8500 } } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: port 8500 is Consul's HTTP API on the same host; choose a port no Consul or Nomad agent listens on",
    );
  });

  it("rejects a proxy port on Nomad's HTTP port", () => {
    expect(configErrorOf(withKeys({ fabio: { prometheus: { proxyPort: 4646 } } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.proxyPort: port 4646 is Nomad's HTTP API on the same host; choose a port no Consul or Nomad agent listens on",
    );
  });

  it.each([8300, 8301, 8302, 8500, 8600, 4646, 4647, 4648])("rejects a metrics port on agent port %i", (port) => {
    expect(configErrorOf(withKeys({ fabio: { prometheus: { metricsPort: port } } }))).toMatch(
      new RegExp(
        `^Pulumi\\.prod\\.yaml: rocketmq-system-jobs:fabio\\.prometheus\\.metricsPort: port ${port} is (Consul|Nomad)'s `,
      ),
    );
  });

  it("rejects a port the Consul servers' HTTP API moved to", () => {
    expect(
      configErrorOf(
        withKeys({ images: { consulServer: { httpPort: 9000 } }, fabio: { nameServerIndex: { uiPort: 9000 } } }),
      ),
    ).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: port 9000 is the Consul server's HTTP API (images.consulServer.httpPort) on the same host; choose a port no Consul or Nomad agent listens on",
    );
  });

  it("rejects the port of the local Consul agent the jobs talk to", () => {
    expect(
      configErrorOf(withKeys({ consul: { address: "127.0.0.1:8501" }, fabio: { prometheus: { proxyPort: 8501 } } })),
    ).toMatch(
      /fabio\.prometheus\.proxyPort: port 8501 is the Consul agent's HTTP API \(consul\.address\) on the same host/,
    );
  });

  it("accepts ports next to the agents'", () => {
    const cfg = parseRaw(withKeys({ fabio: { nameServerIndex: { uiPort: 8499 }, prometheus: { uiPort: 4649 } } }));
    expect([cfg.fabio.nameServerIndex.uiPort, cfg.fabio.prometheus.uiPort]).toEqual([8499, 4649]);
  });
});

describe("service names the scrape config discovers for another purpose", () => {
  it("rejects a Prometheus job named like the Nomad servers' service, saying what it would be scraped as", () => {
    expect(configErrorOf(withKeys({ prometheus: { jobName: "test-nomad" } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.jobName: "test-nomad" is the Consul service Prometheus discovers Nomad servers by, so it would be scraped as one of them; choose another name',
    );
  });

  it.each([
    ["test-nomad-client", "Nomad clients"],
    ["fabio-nameserver-index-metrics", "the Fabios' metrics listeners"],
    ["fabio-prometheus-metrics", "the Fabios' metrics listeners"],
  ])("rejects the Prometheus job name %j (%s)", (jobName, purpose) => {
    expect(configErrorOf(withKeys({ prometheus: { jobName } }))).toContain(
      `prometheus.jobName: "${jobName}" is the Consul service Prometheus discovers ${purpose} by`,
    );
  });

  it("rejects consul_http, which is not even a name Nomad accepts for a job", () => {
    expect(configErrorOf(withKeys({ prometheus: { jobName: "consul_http" } }))).toMatch(/prometheus\.jobName: /);
  });

  it("follows a renamed Fabio: its new metrics service is taken, the default one is free", () => {
    const renamed = { fabio: { nameServerIndex: { jobName: "index" } } };
    expect(configErrorOf(withKeys({ ...renamed, prometheus: { jobName: "index-metrics" } }))).toContain(
      "the Fabios' metrics listeners",
    );
    expect(
      parseRaw(withKeys({ ...renamed, prometheus: { jobName: "fabio-nameserver-index-metrics" } })).prometheus.jobName,
    ).toBe("fabio-nameserver-index-metrics");
  });

  it("rejects a Prometheus job named like the Alertmanager service it sends alerts to", () => {
    expect(
      configErrorOf(
        withKeys({ prometheus: { jobName: "alerts", alerting: { delivery: "discovered", service: "alerts" } } }),
      ),
    ).toContain('"alerts" is the Consul service Prometheus discovers the Alertmanagers by');
  });

  /** A deployed Alertmanager named `jobName` (its peers service is `<jobName>-cluster`). */
  const deployedAlertmanager = (jobName: string) => ({
    delivery: "deployed",
    jobName,
    route: { receiver: "oncall" },
    receivers: [{ name: "oncall", webhooks: [{ urlSecret: "oncallHook" }] }],
  });

  it("rejects a deployed Alertmanager named like the Nomad servers' service, naming its own key", () => {
    expect(configErrorOf(withKeys({ prometheus: { alerting: deployedAlertmanager("test-nomad") } }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.alerting\.jobName: "test-nomad" is the Consul service Prometheus discovers Nomad servers by/,
    );
  });

  it("rejects a Fabio job named like the deployed Alertmanager's peers service, whose instances would gossip to it", () => {
    const raw = withKeys({
      fabio: { prometheus: { jobName: "alertmanager-cluster" } },
      prometheus: { alerting: deployedAlertmanager("alertmanager") },
    });
    expect(configErrorOf(raw)).toMatch(/^Pulumi\.prod\.yaml: rocketmq-system-jobs:.*jobName: "alertmanager-cluster" /);
  });

  it("rejects a Fabio job named like a service Prometheus scrapes for something else", () => {
    expect(configErrorOf(withKeys({ fabio: { prometheus: { jobName: "test-nomad-client" } } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.jobName: "test-nomad-client" is the Consul service Prometheus discovers Nomad clients by, so it would be scraped as one of them; choose another name',
    );
  });

  it("rejects, as the Prometheus job name, every service the rendered prometheus.yml discovers for another job", () => {
    const base = { prometheus: { alerting: { delivery: "discovered", service: "alertmanager" } } };
    const yaml = prometheusConfig(modelOf(parseRaw(withKeys(base))));
    const elsewhere = [
      ...yaml.scrape_configs
        .filter((job) => job.job_name !== "prometheus")
        .flatMap((job) => job.consul_sd_configs ?? []),
      ...(yaml.alerting?.alertmanagers ?? []).flatMap((am) => am.consul_sd_configs),
    ].flatMap((sd) => sd.services ?? []);
    expect(elsewhere.length).toBeGreaterThanOrEqual(6);
    for (const service of elsewhere) {
      expect(() => parseRaw(withKeys({ prometheus: { ...base.prometheus, jobName: service } })), service).toThrow(
        /rocketmq-system-jobs:prometheus\.jobName: /,
      );
    }
  });
});

describe("bounds on intervals, retention and reservations", () => {
  const prometheus = (settings: Record<string, unknown>) => withKeys({ prometheus: settings });

  it("rejects a 1ms scrape interval, saying the range and why", () => {
    expect(configErrorOf(prometheus({ scrapeInterval: "1ms" }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.scrapeInterval: must be from 1s to 2m: faster loads the targets for nothing, slower than 2m lets series drop out of queries between samples; it is "1ms"',
    );
  });

  it.each([
    ["scrapeInterval", "999ms"],
    ["scrapeInterval", "2m1s"],
    ["evaluationInterval", "500ms"],
    ["evaluationInterval", "10m"],
    ["retentionTime", "1000y"],
    ["retentionTime", "5y1d"],
    ["retentionTime", "1h59m"],
    ["targetDownFor", "30s"],
    ["targetDownFor", "1000y"],
  ])("rejects %s %j", (key, value) => {
    expect(configErrorOf(prometheus({ [key]: value }))).toMatch(
      new RegExp(
        `^Pulumi\\.prod\\.yaml: rocketmq-system-jobs:prometheus\\.${key}: must be from \\S+ to \\S+: .*; it is "${value}"$`,
      ),
    );
  });

  it.each([
    ["scrapeInterval", "1s"],
    ["scrapeInterval", "2m"],
    ["evaluationInterval", "1m30s"],
    ["retentionTime", "2h"],
    ["retentionTime", "5y"],
    ["retentionTime", "52w"],
    ["targetDownFor", "1m"],
    ["targetDownFor", "1d"],
  ])("accepts %s %j at or inside the bounds", (key, value) => {
    expect(parseRaw(prometheus({ [key]: value })).prometheus).toMatchObject({ [key]: value });
  });

  it.each([
    [
      { fabio: { nameServerIndex: { resources: { cpu: 1e8 } } } },
      "fabio.nameServerIndex.resources.cpu",
      "MHz from 1 to 100000",
      "100000000",
    ],
    [
      { fabio: { prometheus: { resources: { memory: 999999999 } } } },
      "fabio.prometheus.resources.memory",
      "MiB from 16 to 262144",
      "999999999",
    ],
    [
      { fabio: { prometheus: { resources: { memory: 8 } } } },
      "fabio.prometheus.resources.memory",
      "MiB from 16 to 262144",
      "8",
    ],
    [{ prometheus: { resources: { cpu: 0 } } }, "prometheus.resources.cpu", "MHz from 1 to 100000", "0"],
    [{ prometheus: { resources: { memory: 32 } } }, "prometheus.resources.memory", "MiB from 64 to 262144", "32"],
    [
      { prometheus: { resources: { memory: 300000 } } },
      "prometheus.resources.memory",
      "MiB from 64 to 262144",
      "300000",
    ],
    [
      { prometheus: { storage: { kind: "ephemeralDisk", sizeMb: 1e7 } } },
      "prometheus.storage.sizeMb",
      "MB from 100 to 1048576",
      "10000000",
    ],
  ])("rejects a reservation no host offers or no task runs in (%o)", (keys, key, range, given) => {
    expect(configErrorOf(withKeys(keys))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:${key}: must be a whole number of ${range} (Nomad places ${key.includes("storage") ? "the job only on a host with that much disk free" : "a task only on a host with that much free"}); it is ${given}`,
    );
  });

  it("accepts reservations at the bounds", () => {
    const cfg = parseRaw(
      withKeys({
        fabio: { nameServerIndex: { resources: { cpu: 100000, memory: 16 } } },
        prometheus: { resources: { cpu: 1, memory: 262144 } },
      }),
    );
    expect(cfg.fabio.nameServerIndex.resources).toEqual({ cpu: 100000, memory: 16 });
    expect(cfg.prometheus.resources).toEqual({ cpu: 1, memory: 262144 });
  });
});

describe("lists with a repeated item", () => {
  it("rejects a datacenter listed twice, naming the repeat's index", () => {
    expect(configErrorOf(withKeys({ nomad: { datacenters: ["dc1", "dc2", "dc1"] } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:nomad.datacenters[2]: "dc1" is listed twice (also at [0]); list each datacenter once',
    );
  });

  it("rejects a Consul server the agents join listed twice", () => {
    expect(configErrorOf(withKeys({ images: { consul: { retryJoin: ["10.0.0.1", "10.0.0.1"] } } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:images.consul.retryJoin[1]: "10.0.0.1" is listed twice (also at [0]); list each server once',
    );
  });
});

describe("a Consul server API that only loopback reaches", () => {
  it.each(["127.0.0.1", "127.0.0.1 ::1"])("rejects clientAddr %j, saying why Prometheus needs more", (clientAddr) => {
    expect(configErrorOf(withKeys({ images: { consulServer: { clientAddr } } }))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:images.consulServer.clientAddr: must include an address other hosts reach (0.0.0.0 or the server's own IP): Prometheus scrapes consul_http from another host, and an API on loopback alone answers no one there; it is "${clientAddr}"`,
    );
  });

  it.each(["0.0.0.0", "127.0.0.1 10.0.0.5"])("accepts clientAddr %j, which other hosts reach", (clientAddr) => {
    expect(parseRaw(withKeys({ images: { consulServer: { clientAddr } } })).images.consulServer.clientAddr).toBe(
      clientAddr,
    );
  });
});
