import { describe, expect, it } from "vitest";
import {
  agentChecks,
  alertDeliveryCheck,
  alertsCheck,
  fabioServicesCheck,
  hostProbes,
  indexServiceCheck,
  indexServiceNames,
  judgeLookup,
  judgeNoLeak,
  lookupSubgroupsOfAnyPrefix,
  misTaggedCheck,
  misTaggedServices,
  prometheusUnreachable,
  nameServerHosts,
  nameServerList,
  rulesCheck,
  scrapeJobChecks,
  type ActiveTarget,
  type ConsulView,
  type ServiceInstance,
} from "../../verify";
import { loadModel, loadStack, modelOf } from "../support/stack";

const cfg = loadStack("dev");

const instance = (node: string, address: string, status = "passing"): ServiceInstance => ({
  node,
  nodeAddress: address,
  address,
  port: 9998,
  checks: [
    { name: "Serf Health Status", status: "passing", output: "Agent alive and reachable" },
    { name: "fabio health", status, output: status === "passing" ? "HTTP GET …: 200 OK" : "connection refused" },
  ],
});

function consulView(overrides: Partial<ConsulView> = {}): ConsulView {
  return {
    fabio: {
      nameServerIndex: [instance("ns-1", "10.0.0.1"), instance("ns-2", "10.0.0.2")],
      prometheus: [instance("ns-1", "10.0.0.1"), instance("ns-2", "10.0.0.2")],
    },
    indexServices: [],
    servers: ["10.0.0.11"],
    services: {},
    prometheus: [],
    ...overrides,
  };
}

const target = (scrapePool: string, instance: string, health = "up", lastError = ""): ActiveTarget => ({
  scrapePool,
  labels: { instance, job: scrapePool },
  health,
  lastError,
});

describe("verify's checks", () => {
  it("reads a NameServer list as RocketMQ's address server answers it", () => {
    expect(nameServerList("10.0.0.5:9876;10.0.0.6:9876\n")).toEqual(["10.0.0.5:9876", "10.0.0.6:9876"]);
    expect(nameServerList("ns-a.internal:9876;")).toEqual(["ns-a.internal:9876"]);
    for (const body of ["", "no route for /rocketmq/x", "<html>404</html>", "10.0.0.5;10.0.0.6", "10.0.0.5:9876 ;x"]) {
      expect(nameServerList(body), body).toBeUndefined();
    }
  });

  it("passes a lookup only on 200 with a NameServer list, and names what came instead", () => {
    expect(judgeLookup({ ok: true, status: 200, text: "10.0.0.5:9876" })).toEqual({
      result: "pass",
      detail: "10.0.0.5:9876",
    });
    expect(judgeLookup({ ok: true, status: 404, text: "Not Found\n" })).toEqual({
      result: "fail",
      detail: "expected 200 with ip:port;ip:port, got HTTP 404: Not Found",
    });
    expect(judgeLookup({ ok: false, error: "unreachable (ECONNREFUSED)" })).toEqual({
      result: "fail",
      detail: "unreachable (ECONNREFUSED)",
    });
  });

  it("calls a NameServer list answered by the Prometheus Fabio a leak, and Prometheus' own 404 none", () => {
    expect(judgeNoLeak({ ok: true, status: 404, text: "404 page not found" }).result).toBe("pass");
    expect(judgeNoLeak({ ok: true, status: 200, text: "10.0.0.5:9876;10.0.0.6:9876" })).toEqual({
      result: "fail",
      detail: "routed by the Prometheus Fabio: HTTP 200 10.0.0.5:9876;10.0.0.6:9876",
    });
  });

  it("probes every host's index Fabio and Prometheus Fabio on the stack's ports", () => {
    const hosts = [
      { name: "ns-1", address: "10.0.0.1" },
      { name: "ns-2", address: "fd00::2" },
    ];
    const probes = hostProbes(modelOf(cfg), hosts, ["nsaddr-a"], ["nsaddr-a", "nsaddr-c"]);
    expect(probes.map((p) => [p.check, p.host, p.listener, p.url])).toEqual([
      ["route /rocketmq/nsaddr-a", "ns-1 (10.0.0.1)", "10.0.0.1:8080", "http://10.0.0.1:8080/rocketmq/nsaddr-a"],
      ["prometheus ready", "ns-1 (10.0.0.1)", "10.0.0.1:9090", "http://10.0.0.1:9090/-/ready"],
      ["no leak /rocketmq/nsaddr-a", "ns-1 (10.0.0.1)", "10.0.0.1:9090", "http://10.0.0.1:9090/rocketmq/nsaddr-a"],
      ["no leak /rocketmq/nsaddr-c", "ns-1 (10.0.0.1)", "10.0.0.1:9090", "http://10.0.0.1:9090/rocketmq/nsaddr-c"],
      ["route /rocketmq/nsaddr-a", "ns-2 (fd00::2)", "[fd00::2]:8080", "http://[fd00::2]:8080/rocketmq/nsaddr-a"],
      ["prometheus ready", "ns-2 (fd00::2)", "[fd00::2]:9090", "http://[fd00::2]:9090/-/ready"],
      ["no leak /rocketmq/nsaddr-a", "ns-2 (fd00::2)", "[fd00::2]:9090", "http://[fd00::2]:9090/rocketmq/nsaddr-a"],
      ["no leak /rocketmq/nsaddr-c", "ns-2 (fd00::2)", "[fd00::2]:9090", "http://[fd00::2]:9090/rocketmq/nsaddr-c"],
    ]);
  });

  it("lists every service with a /rocketmq/ tag under a prefix that is neither this stack's nor another stack's", () => {
    const services = {
      "rocketmq-a": ["dev.rmq-nsindex-/rocketmq/nsaddr-a", "rocketmq-nsindex:dev:nsaddr-a"],
      "rocketmq-b": ["rmq-nsindex-/rocketmq/nsaddr-cluster-b"],
      "rocketmq-c": ["dev.rmq-prometheus-/rocketmq/nsaddr-cluster-c", "cluster-c"],
      "rocketmq-prod": ["prod.rmq-nsindex-/rocketmq/nsaddr-a"],
      prometheus: ["dev.rmq-prometheus-/"],
    };
    expect(misTaggedServices(modelOf(cfg), services).map((found) => misTaggedCheck(modelOf(cfg), found))).toEqual([
      {
        check: "index tag rocketmq-b",
        host: "consul",
        result: "fail",
        detail:
          'tagged "rmq-nsindex-/rocketmq/…": this stack\'s prefix is "dev.rmq-nsindex-" (tag it with nameServerIndexTags(nameServerIndexStack, subgroups))',
      },
      {
        check: "index tag rocketmq-c",
        host: "consul",
        result: "fail",
        detail:
          'tagged "dev.rmq-prometheus-/rocketmq/…": this stack\'s prefix is "dev.rmq-nsindex-" (tag it with nameServerIndexTags(nameServerIndexStack, subgroups))',
      },
    ]);
    expect(lookupSubgroupsOfAnyPrefix(services)).toEqual(["nsaddr-a", "nsaddr-cluster-b", "nsaddr-cluster-c"]);
  });

  it("says whether Consul has a passing Prometheus instance with its route tag when no Prometheus Fabio answers", () => {
    const prometheus = (status: string) => ({ ...instance("ns-1", "10.0.0.1", status), port: 23456 });
    expect(prometheusUnreachable(modelOf(cfg), [])).toBe(
      'no host\'s Prometheus Fabio answered /-/ready; Consul has no instance of service "prometheus" with tag "dev.rmq-prometheus-/": Prometheus is not running or not registered',
    );
    expect(prometheusUnreachable(modelOf(cfg), [prometheus("critical")])).toBe(
      'no host\'s Prometheus Fabio answered /-/ready; Consul has no passing instance of service "prometheus" with tag "dev.rmq-prometheus-/" (ns-1: "fabio health" is critical)',
    );
    expect(prometheusUnreachable(modelOf(cfg), [prometheus("passing")])).toBe(
      'no host\'s Prometheus Fabio answered /-/ready, though Consul has 1 passing instance(s) of service "prometheus" with tag "dev.rmq-prometheus-/" (10.0.0.1:23456): the Prometheus Fabios do not route to it',
    );
  });

  it("finds NameServer-index services by the index prefix only, with each subgroup once", () => {
    const services = {
      consul: [],
      "rocketmq-a": ["dev.rmq-nsindex-/rocketmq/nsaddr-a", "dev.rmq-nsindex-/rocketmq/nsaddr-a-unit1", "nameserver"],
      "rocketmq-b": ["dev.rmq-nsindex-/rocketmq/nsaddr-b", "dev.rmq-nsindex-/rocketmq/nsaddr-b"],
      // Lost its route tag: its marker keeps it checked.
      "rocketmq-m": ["rocketmq-nsindex:dev", "rocketmq-nsindex:dev:nsaddr-m", "rocketmq-nsindex:prod:nsaddr-p"],
      prometheus: ["dev.rmq-prometheus-/", "cluster-dev"],
      other: ["dev.rmq-nsindex-host.example/rocketmq/x", "dev.rmq-prometheus-/rocketmq/nsaddr-a"],
      // Another stack's cluster on the same Consul.
      "rocketmq-prod": ["prod.rmq-nsindex-/rocketmq/nsaddr-a", "rmq-nsindex-/rocketmq/nsaddr-a"],
      untagged: null,
    };
    expect(Object.fromEntries(indexServiceNames(modelOf(cfg), services))).toEqual({
      "rocketmq-a": ["nsaddr-a", "nsaddr-a-unit1"],
      "rocketmq-b": ["nsaddr-b"],
      "rocketmq-m": ["nsaddr-m"],
    });
  });

  it("names the host where a Fabio service is missing or its check fails", () => {
    const view = consulView({
      fabio: {
        nameServerIndex: [instance("ns-1", "10.0.0.1"), instance("ns-2", "10.0.0.2", "critical")],
        prometheus: [instance("ns-1", "10.0.0.1")],
      },
    });
    const hosts = nameServerHosts(view);
    expect(hosts).toEqual([
      { name: "ns-1", address: "10.0.0.1" },
      { name: "ns-2", address: "10.0.0.2" },
    ]);
    expect(hosts.map((host) => fabioServicesCheck(modelOf(cfg), host, view))).toEqual([
      {
        check: "fabio services",
        host: "ns-1 (10.0.0.1)",
        result: "pass",
        detail: "fabio-nameserver-index, fabio-prometheus registered, checks passing",
      },
      {
        check: "fabio services",
        host: "ns-2 (10.0.0.2)",
        result: "fail",
        detail:
          'fabio-nameserver-index: check "fabio health" is critical (connection refused); no fabio-prometheus service',
      },
    ]);
  });

  it("names the NameServer-index instance whose check fails", () => {
    const result = indexServiceCheck({
      name: "rocketmq-a",
      subgroups: ["nsaddr-a"],
      instances: [{ ...instance("ns-1", "10.0.0.7", "critical"), port: 8081 }],
    });
    expect(result).toEqual({
      check: "index service rocketmq-a",
      host: "consul",
      result: "fail",
      detail: 'on ns-1 (10.0.0.7:8081) check "fabio health" is critical (connection refused)',
    });
  });

  it("fails a scrape job with no target or a target down, naming the target and its error", () => {
    const targets = [
      target("nomad-servers", "10.0.0.11:4646"),
      target("nomad-clients", "10.0.0.1:4646"),
      target("nomad-clients", "10.0.0.2:4646", "down", 'Get "http://10.0.0.2:4646/v1/metrics": connection refused'),
      target("fabio", "10.0.0.1:9997"),
      target("prometheus", "10.0.0.1:23456"),
    ];
    expect(scrapeJobChecks(modelOf(cfg), targets, "via", true).map((r) => [r.check, r.result, r.detail])).toEqual([
      ["scrape job nomad-servers", "pass", "1 target(s) up"],
      [
        "scrape job nomad-clients",
        "fail",
        '10.0.0.2:4646 is down (Get "http://10.0.0.2:4646/v1/metrics": connection refused)',
      ],
      [
        "scrape job consul-servers",
        "fail",
        'no target discovered (looked for Consul service "consul_http" with tag "cluster-dev")',
      ],
      ["scrape job fabio", "pass", "1 target(s) up"],
      ["scrape job prometheus", "pass", "1 target(s) up"],
      [
        "scrape job nameserver-lookups",
        "fail",
        'no target discovered (looked for hosts: Consul service "fabio-nameserver-index" with tag "cluster-dev"; subgroups: services tagged "rocketmq-nsindex:dev:<subgroup>" or "dev.rmq-nsindex-/rocketmq/<subgroup>")',
      ],
      [
        "scrape job nameserver-index-services",
        "fail",
        'no target discovered (looked for any Consul service with tag "rocketmq-nsindex:dev")',
      ],
    ]);
    // A target discovered a moment ago and not scraped yet is no failure.
    const fresh = [...targets, target("nomad-servers", "10.0.0.12:4646", "unknown")];
    expect(scrapeJobChecks(modelOf(cfg), fresh, "via", true)[0]).toMatchObject({
      result: "pass",
      detail: "1 target(s) up, 1 not scraped yet",
    });
    // Before any NameServer-index service exists, the probe jobs have nothing to probe.
    expect(
      scrapeJobChecks(modelOf(cfg), targets, "via", false)
        .slice(-2)
        .map((r) => r.result),
    ).toEqual(["skip", "skip"]);
  });

  it("fails the rules check when an alert of the rule file is not loaded or cannot be evaluated", () => {
    const loaded = [
      {
        name: "rocketmq-system",
        rules: [
          { name: "NomadServerDown", health: "ok", lastError: "" },
          { name: "FabioDown", health: "err", lastError: "bad expression" },
        ],
      },
    ];
    const result = rulesCheck(modelOf(cfg), loaded, "via");
    expect(result.result).toBe("fail");
    expect(result.detail).toContain("FabioDown fails to evaluate (bad expression)");
    expect(result.detail).toContain("ConsulNoLeader is not loaded");
    expect(result.detail).not.toContain("NomadServerDown");
    expect(rulesCheck(modelOf(cfg), [], "via").detail).toBe("group rocketmq-system is not loaded");
  });

  it("fails on a firing alert and lists pending ones", () => {
    const alerts = [
      { labels: { alertname: "FabioDown", instance: "10.0.0.2:9997" }, state: "firing" },
      { labels: { alertname: "TargetDown", instance: "10.0.0.3:4646" }, state: "pending" },
    ];
    expect(alertsCheck(alerts, "via")).toEqual({
      check: "alerts firing",
      host: "via",
      result: "fail",
      detail: "firing: FabioDown (10.0.0.2:9997); pending: TargetDown (10.0.0.3:4646)",
    });
    expect(alertsCheck(alerts.slice(1), "via").result).toBe("pass");
    expect(alertsCheck([], "via").detail).toBe("none");
  });

  it("names a Consul server or Nomad agent that is not a scrape target", () => {
    const targets = [target("consul-servers", "10.0.0.11:8500"), target("nomad-servers", "10.0.0.11:4646")];
    const nomad = {
      selected: [],
      clients: [{ ID: "n1", Name: "ns-1", Address: "10.0.0.1", Datacenter: "dc1", NodeClass: "", Status: "ready" }],
      allocations: { nameServerIndex: [], prometheus: [] },
      servers: ["10.0.0.11"],
    };
    expect(agentChecks(["10.0.0.11", "10.0.0.12"], nomad, targets, "via").map((r) => [r.result, r.detail])).toEqual([
      ["fail", "Consul server(s) not a scrape target: 10.0.0.12"],
      ["fail", "Nomad client(s) not a scrape target: 10.0.0.1"],
    ]);
    expect(agentChecks(["10.0.0.11"], { skipped: "NOMAD_ADDR is not set" }, targets, "via")).toEqual([
      { check: "consul servers scraped", host: "via", result: "pass", detail: "1 Consul server(s) scraped" },
      { check: "nomad agents scraped", host: "via", result: "skip", detail: "NOMAD_ADDR is not set" },
    ]);
  });
});

describe("the alert delivery check", () => {
  const prod = loadModel("prod");
  const dev = loadModel("dev");

  it("passes when Prometheus has an active Alertmanager, and says where alerts go", () => {
    const result = alertDeliveryCheck(prod, [{ url: "http://10.0.0.1:25001/api/v2/alerts" }], "prometheus");
    expect(result).toEqual({
      check: "alert delivery",
      host: "prometheus",
      result: "pass",
      detail:
        '1 active Alertmanager(s) (http://10.0.0.1:25001/api/v2/alerts); alerts go to: the Alertmanager job "alertmanager" this stack deploys (2 instances), receivers oncall (webhook)',
    });
  });

  it("fails when delivery is on and Prometheus has no Alertmanager to send to", () => {
    expect(alertDeliveryCheck(prod, [], "prometheus").result).toBe("fail");
  });

  it("is skipped, naming the reason, when the stack sends alerts nowhere", () => {
    const result = alertDeliveryCheck(dev, undefined, "prometheus");
    expect(result.result).toBe("skip");
    expect(result.detail).toContain("development cluster");
  });
});
