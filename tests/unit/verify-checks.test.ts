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
    expect(hostProbes(modelOf(cfg), hosts, ["nsaddr-a"]).map((p) => [p.check, p.host, p.url])).toEqual([
      ["route /rocketmq/nsaddr-a", "ns-1 (10.0.0.1)", "http://10.0.0.1:8080/rocketmq/nsaddr-a"],
      ["no leak /rocketmq/nsaddr-a", "ns-1 (10.0.0.1)", "http://10.0.0.1:9090/rocketmq/nsaddr-a"],
      ["prometheus ready", "ns-1 (10.0.0.1)", "http://10.0.0.1:9090/-/ready"],
      ["route /rocketmq/nsaddr-a", "ns-2 (fd00::2)", "http://[fd00::2]:8080/rocketmq/nsaddr-a"],
      ["no leak /rocketmq/nsaddr-a", "ns-2 (fd00::2)", "http://[fd00::2]:9090/rocketmq/nsaddr-a"],
      ["prometheus ready", "ns-2 (fd00::2)", "http://[fd00::2]:9090/-/ready"],
    ]);
  });

  it("finds NameServer-index services by the index prefix only, with each subgroup once", () => {
    const services = {
      consul: [],
      "rocketmq-a": ["dev.rmq-nsindex-/rocketmq/nsaddr-a", "dev.rmq-nsindex-/rocketmq/nsaddr-a-unit1", "nameserver"],
      "rocketmq-b": ["dev.rmq-nsindex-/rocketmq/nsaddr-b", "dev.rmq-nsindex-/rocketmq/nsaddr-b"],
      prometheus: ["dev.rmq-prometheus-/", "cluster-dev"],
      other: ["dev.rmq-nsindex-host.example/rocketmq/x", "dev.rmq-prometheus-/rocketmq/nsaddr-a"],
      // Another stack's cluster on the same Consul.
      "rocketmq-prod": ["prod.rmq-nsindex-/rocketmq/nsaddr-a", "rmq-nsindex-/rocketmq/nsaddr-a"],
      untagged: null,
    };
    expect(Object.fromEntries(indexServiceNames(modelOf(cfg), services))).toEqual({
      "rocketmq-a": ["nsaddr-a", "nsaddr-a-unit1"],
      "rocketmq-b": ["nsaddr-b"],
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
    expect(scrapeJobChecks(modelOf(cfg), targets, "via").map((r) => [r.check, r.result, r.detail])).toEqual([
      ["scrape job nomad-servers", "pass", "1 target(s) up"],
      [
        "scrape job nomad-clients",
        "fail",
        '10.0.0.2:4646 is down (Get "http://10.0.0.2:4646/v1/metrics": connection refused)',
      ],
      ["scrape job consul-servers", "fail", "no target discovered"],
      ["scrape job fabio", "pass", "1 target(s) up"],
      ["scrape job prometheus", "pass", "1 target(s) up"],
    ]);
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
