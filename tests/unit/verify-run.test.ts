// The order and merging of verify's checks, with an in-memory HTTP client answering like Consul, Nomad, Fabio
// and Prometheus would (their real answers are exercised in tests/integration/verify.test.ts, Nomad's only in a
// deploy: see tests/unit/verify-nomad.test.ts).
import { describe, expect, it } from "vitest";
import { verifyStack, type CheckResult, type HttpClient, type HttpResult } from "../../verify";
import { loadStack, modelOf } from "../support/stack";

const cfg = loadStack("dev");
const CONSUL = "http://consul:8500";
const NOMAD = "http://nomad:4646";

const fabioEntry = (node: string, address: string, service: string) => ({
  Node: { Node: node, Address: address },
  Service: { ID: `_nomad-task-${node}-${service}`, Service: service, Address: address, Port: 9998 },
  Checks: [{ Name: "fabio health", Status: "passing", Output: "HTTP GET: 200 OK" }],
});
const node = (id: string, name: string, address: string) => ({
  ID: id,
  Name: name,
  Address: address,
  Datacenter: "dc1",
  NodeClass: "nameServer",
  Status: "ready",
});
const running = (id: string, nodeId: string) => ({
  ID: id,
  NodeID: nodeId,
  DesiredStatus: "run",
  ClientStatus: "running",
});

/** Answers by URL; anything not listed is refused, as a closed port would be. */
function fakeClient(answers: Record<string, unknown>): HttpClient & { asked: string[]; tokens: Map<string, string> } {
  const asked: string[] = [];
  const tokens = new Map<string, string>();
  return {
    asked,
    tokens,
    get: (url: string, headers: Record<string, string> = {}): Promise<HttpResult> => {
      asked.push(url);
      for (const value of Object.values(headers)) tokens.set(url, value);
      if (!(url in answers)) return Promise.resolve({ ok: false, error: "unreachable (ECONNREFUSED)" });
      const answer = answers[url];
      const text = typeof answer === "string" ? answer : JSON.stringify(answer);
      return Promise.resolve({ ok: true, status: 200, text });
    },
  };
}

const consulAnswers = {
  // Consul knows ns-1 (both Fabios) and ns-3 (both Fabios, but Nomad no longer selects it).
  [`${CONSUL}/v1/health/service/fabio-nameserver-index?tag=cluster-dev`]: [
    fabioEntry("ns-1", "10.0.0.1", "fabio-nameserver-index"),
    fabioEntry("ns-3", "10.0.0.3", "fabio-nameserver-index"),
  ],
  [`${CONSUL}/v1/health/service/fabio-prometheus?tag=cluster-dev`]: [
    fabioEntry("ns-1", "10.0.0.1", "fabio-prometheus"),
    fabioEntry("ns-3", "10.0.0.3", "fabio-prometheus"),
  ],
  [`${CONSUL}/v1/catalog/services`]: { consul: [] },
  [`${CONSUL}/v1/health/service/prometheus?tag=dev.rmq-prometheus-%2F`]: [],
  [`${CONSUL}/v1/status/peers`]: ["10.0.0.11:8300"],
};

const nomadAnswers = {
  // Nomad selects ns-1 and ns-2; ns-2 lost both Fabios (nothing in Consul, no allocation).
  [`${NOMAD}/v1/nodes?region=global`]: [node("n1", "ns-1", "10.0.0.1"), node("n2", "ns-2", "10.0.0.2")],
  [`${NOMAD}/v1/job/fabio-nameserver-index/allocations?region=global`]: [running("a1", "n1")],
  [`${NOMAD}/v1/job/fabio-prometheus/allocations?region=global`]: [running("a2", "n1")],
  [`${NOMAD}/v1/status/peers?region=global`]: ["10.0.0.21:4647"],
};

const rows = (results: CheckResult[]) => results.map((r) => `${r.result} ${r.check} @ ${r.host}`);

describe("verifyStack", () => {
  it("checks every host Consul or Nomad knows, and names the one that lost both Fabios", async () => {
    const client = fakeClient({ ...consulAnswers, ...nomadAnswers, "http://10.0.0.1:9090/-/ready": "Ready." });
    const results = await verifyStack({
      model: modelOf(cfg),
      client,
      consul: { url: CONSUL, headers: { "X-Consul-Token": "consul-tok" } },
      nomad: { url: NOMAD, headers: { "X-Nomad-Token": "nomad-tok" } },
    });
    // Each token goes to its own API only, never to a NameServer host's Fabio.
    for (const url of client.asked) {
      const expected = url.startsWith(CONSUL) ? "consul-tok" : url.startsWith(NOMAD) ? "nomad-tok" : undefined;
      expect(client.tokens.get(url), url).toBe(expected);
    }
    expect(rows(results).slice(0, 10)).toEqual([
      `pass consul api @ ${CONSUL}`,
      `pass nomad api @ ${NOMAD}`,
      "pass fabio services @ ns-1 (10.0.0.1)",
      "pass fabio allocations @ ns-1 (10.0.0.1)",
      "fail fabio services @ ns-2 (10.0.0.2)",
      "fail fabio allocations @ ns-2 (10.0.0.2)",
      "pass fabio services @ ns-3 (10.0.0.3)",
      "fail fabio allocations @ ns-3 (10.0.0.3)",
      "skip index services @ consul",
      "pass prometheus ready @ ns-1 (10.0.0.1)",
    ]);
    expect(results[4]!.detail).toBe("no fabio-nameserver-index service; no fabio-prometheus service");
    expect(results[5]!.detail).toBe(
      "fabio-nameserver-index: no allocation on this node; fabio-prometheus: no allocation on this node",
    );
    expect(results[7]!.detail).toBe("Nomad lists no ready node of this name that nameServerHosts selects");
    expect(results[8]!.detail).toBe("no service carries a dev.rmq-nsindex-/rocketmq/<subgroup> tag yet");
    // ns-2 is probed at the address Nomad gives, though Consul has nothing there.
    expect(client.asked).toContain("http://10.0.0.2:9090/-/ready");
    expect(rows(results)).toContain("fail prometheus ready @ ns-2 (10.0.0.2)");
    // Prometheus' API is asked through the first host whose Prometheus Fabio is ready.
    expect(client.asked).toContain("http://10.0.0.1:9090/api/v1/targets?state=active");
  });

  it("stops after the Consul check when Consul does not answer", async () => {
    const results = await verifyStack({
      model: modelOf(cfg),
      client: fakeClient({}),
      consul: { url: CONSUL, headers: {} },
    });
    expect(results).toEqual([
      {
        check: "consul api",
        host: CONSUL,
        result: "fail",
        detail: `GET ${CONSUL}/v1/health/service/fabio-nameserver-index?tag=cluster-dev: unreachable (ECONNREFUSED)`,
      },
    ]);
  });

  it("skips the Nomad agents check with the reason when Nomad's API failed", async () => {
    const prometheus = "http://10.0.0.1:9090";
    const client = fakeClient({
      ...consulAnswers,
      [`${prometheus}/-/ready`]: "Prometheus Server is Ready.",
      [`${prometheus}/api/v1/targets?state=active`]: { status: "success", data: { activeTargets: [] } },
      [`${prometheus}/api/v1/rules?type=alert`]: { status: "success", data: { groups: [] } },
      [`${prometheus}/api/v1/alerts`]: { status: "success", data: { alerts: [] } },
    });
    const results = await verifyStack({
      model: modelOf(cfg),
      client,
      consul: { url: CONSUL, headers: {} },
      nomad: { url: NOMAD, headers: {} },
    });
    expect(results.find((r) => r.check === "nomad api")).toMatchObject({
      result: "fail",
      detail: `GET ${NOMAD}/v1/nodes?region=global: unreachable (ECONNREFUSED)`,
    });
    expect(results.find((r) => r.check === "nomad agents scraped")).toMatchObject({
      result: "skip",
      detail: "the Nomad API failed (see nomad api)",
    });
    expect(results.find((r) => r.check === "consul servers scraped")).toMatchObject({
      result: "fail",
      detail: "Consul server(s) not a scrape target: 10.0.0.11",
    });
  });

  it("lists every Prometheus check as not run when no Prometheus Fabio answers, failing only what caused it", async () => {
    // ns-1's Prometheus Fabio does not answer; its index Fabio serves the one subgroup.
    const client = fakeClient({
      ...consulAnswers,
      [`${CONSUL}/v1/catalog/services`]: { "rocketmq-a": ["dev.rmq-nsindex-/rocketmq/nsaddr-a"] },
      [`${CONSUL}/v1/health/service/rocketmq-a`]: [fabioEntry("ns-1", "10.0.0.1", "rocketmq-a")],
      "http://10.0.0.1:8080/rocketmq/nsaddr-a": "10.0.0.5:9876",
      "http://10.0.0.3:8080/rocketmq/nsaddr-a": "10.0.0.5:9876",
    });
    const results = await verifyStack({ model: modelOf(cfg), client, consul: { url: CONSUL, headers: {} } });
    expect(results.filter((r) => r.result === "fail").map((r) => `${r.check} @ ${r.host}`)).toEqual([
      "prometheus ready @ ns-1 (10.0.0.1)",
      "prometheus ready @ ns-3 (10.0.0.3)",
      "prometheus api @ -",
    ]);
    expect(results.find((r) => r.check === "prometheus api")!.detail).toBe(
      'no host\'s Prometheus Fabio answered /-/ready; Consul has no instance of service "prometheus" with tag "dev.rmq-prometheus-/": Prometheus is not running or not registered',
    );
    // The leak checks behind a Prometheus Fabio that gave no answer are not run, not failed.
    expect(results.find((r) => r.check === "no leak /rocketmq/nsaddr-a")).toEqual({
      check: "no leak /rocketmq/nsaddr-a",
      host: "ns-1 (10.0.0.1)",
      result: "skip",
      detail: "not run (because prometheus ready got no answer from 10.0.0.1:9090)",
    });
    // Prometheus' checks are listed, not dropped.
    const notRun = results.filter((r) => r.host === "prometheus").map((r) => [r.check, r.result, r.detail]);
    expect(notRun.map(([check]) => check)).toEqual([
      "scrape job nomad-servers",
      "scrape job nomad-clients",
      "scrape job consul-servers",
      "scrape job fabio",
      "scrape job prometheus",
      "scrape job nameserver-lookups",
      "scrape job nameserver-index-services",
      "consul servers scraped",
      "nomad agents scraped",
      "alert rules",
      "alerts firing",
    ]);
    for (const [, result, detail] of notRun) {
      expect(result).toBe("skip");
      expect(detail).toBe("not run (because prometheus api failed)");
    }
  });
});
