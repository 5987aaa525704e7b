import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aclPolicyName } from "../../config";
import { aclConsumers, type AclConsumer, renderArtifacts } from "../../render";
import { registerService, startConsul, type ConsulAgent } from "../support/consul";
import { http, requireTools, stopAll, waitFor } from "../support/processes";
import { loadStack, modelOf } from "../support/stack";

const available = requireTools("consul");
const cfg = loadStack("prod");
// The bootstrap (management) token exists only in this test's Consul.
const MANAGEMENT = randomUUID();

describe.runIf(available)("the rendered ACL policies on a real default-deny Consul", () => {
  let consul: ConsulAgent;
  const tokens = new Map<string, string>();

  const call = async (token: string | undefined, method: string, route: string, body?: unknown) =>
    http(`${consul.url}${route}`, { method, body, headers: token ? { "X-Consul-Token": token } : {} });
  const asAdmin = async (method: string, route: string, body?: unknown) => {
    const response = await call(MANAGEMENT, method, route, body);
    if (response.status !== 200) throw new Error(`${method} ${route}: ${response.status} ${response.text}`);
    return response;
  };

  beforeAll(async () => {
    consul = await startConsul({
      extraHcl: [
        'acl {\n  enabled = true\n  default_policy = "deny"\n  enable_token_persistence = false',
        `  tokens {\n    master = "${MANAGEMENT}"\n    agent = "${MANAGEMENT}"\n  }\n}`,
        'telemetry {\n  prometheus_retention_time = "10s"\n}\n',
      ].join("\n"),
    });
    // The leader creates the master token once ACLs are initialised, which can come a moment after its election.
    await waitFor(
      "Consul to accept the management token",
      async () => ((await call(MANAGEMENT, "GET", "/v1/acl/token/self")).status === 200 ? true : undefined),
      { process: consul.process },
    );
    await registerService(consul, { id: "nsindex", name: "rocketmq-nsindex", port: 1, tags: ["x"] }, MANAGEMENT);
    for (const consumer of aclConsumers(modelOf(cfg))) {
      await asAdmin("PUT", `/v1/kv/fabio/prod/${consumer.jobName}/config`, "route add x / http://127.0.0.1:1/");
    }
    await asAdmin("PUT", "/v1/kv/other/secret", "not for system jobs");

    // Exactly what the render CLI writes under consul-acl/, loaded through Consul's HTTP API.
    const files = new Map(renderArtifacts(modelOf(cfg, "prod")).map((a) => [a.path, a.content]));
    for (const consumer of aclConsumers(modelOf(cfg))) {
      const rules = files.get(`consul-acl/${consumer.policyName}.hcl`)!;
      await asAdmin("PUT", "/v1/acl/policy", { Name: consumer.policyName, Rules: rules });
      const { text } = await asAdmin("PUT", "/v1/acl/token", { Policies: [{ Name: consumer.policyName }] });
      tokens.set(consumer.jobName, (JSON.parse(text) as { SecretID: string }).SecretID);
    }
  });

  afterAll(stopAll);

  it("hides the catalog from a request without a token, so the checks below are not vacuous", async () => {
    const { text } = await call(undefined, "GET", "/v1/catalog/services");
    expect(Object.keys(JSON.parse(text) as object)).not.toContain("rocketmq-nsindex");
    expect((await call(undefined, "GET", "/v1/agent/self")).status).toBe(403);
  });

  it("accepts a policy name of the 128 characters the config allows, and refuses one more", async () => {
    const longest = aclPolicyName("c".repeat(55), "m".repeat(63));
    expect(longest).toHaveLength(128);
    expect((await call(MANAGEMENT, "PUT", "/v1/acl/policy", { Name: longest, Rules: "" })).status).toBe(200);
    const tooLong = await call(MANAGEMENT, "PUT", "/v1/acl/policy", { Name: `${longest}x`, Rules: "" });
    expect(tooLong.status).not.toBe(200);
  });

  describe.each(aclConsumers(modelOf(cfg)).map((c) => [c.policyName, c] as [string, AclConsumer]))(
    "the %s token",
    (_, consumer) => {
      const token = () => tokens.get(consumer.jobName)!;

      it("lists catalog services and reads a service's health", async () => {
        const services = await call(token(), "GET", "/v1/catalog/services");
        expect(Object.keys(JSON.parse(services.text) as object)).toContain("rocketmq-nsindex");
        const health = await call(token(), "GET", "/v1/health/service/rocketmq-nsindex");
        expect((JSON.parse(health.text) as unknown[]).length).toBe(1);
        const nodes = await call(token(), "GET", "/v1/catalog/nodes");
        expect((JSON.parse(nodes.text) as unknown[]).length).toBe(1);
      });

      it("reads the agent's self and metrics endpoints", async () => {
        expect((await call(token(), "GET", "/v1/agent/self")).status).toBe(200);
        const metrics = await call(token(), "GET", "/v1/agent/metrics?format=prometheus");
        expect(metrics.status).toBe(200);
        expect(metrics.text).toMatch(/^# (HELP|TYPE) consul_/m);
      });

      it("is also accepted as a bearer token, the way Prometheus sends it", async () => {
        const metrics = await http(`${consul.url}/v1/agent/metrics?format=prometheus`, {
          headers: { Authorization: `Bearer ${token()}` },
        });
        expect(metrics.status).toBe(200);
      });

      it.each([
        ["writes KV", "PUT", "/v1/kv/fabio/anything", "x"],
        ["reads KV outside its own prefix", "GET", "/v1/kv/other/secret", undefined],
        ["registers a service", "PUT", "/v1/agent/service/register", { Name: "evil", Port: 1 }],
        ["registers in the catalog", "PUT", "/v1/catalog/register", { Node: "evil", Address: "127.0.0.9" }],
        ["lists ACL tokens", "GET", "/v1/acl/tokens", undefined],
        ["reloads the agent", "PUT", "/v1/agent/reload", undefined],
      ])("is refused when it %s", async (_what, method, route, body) => {
        expect((await call(token(), method, route, body)).status).toBe(403);
      });

      if (consumer.kind === "fabio") {
        it("reads its own manual route overrides but not the other Fabio's", async () => {
          expect((await call(token(), "GET", `/v1/kv/fabio/prod/${consumer.jobName}/config`)).status).toBe(200);
          const other = aclConsumers(modelOf(cfg)).find((c) => c.kind === "fabio" && c.jobName !== consumer.jobName)!;
          expect((await call(token(), "GET", `/v1/kv/fabio/prod/${other.jobName}/config`)).status).toBe(403);
        });
      } else {
        it("reads no KV at all, not even Fabio's", async () => {
          const fabio = aclConsumers(modelOf(cfg)).find((c) => c.kind === "fabio")!;
          expect((await call(token(), "GET", `/v1/kv/fabio/prod/${fabio.jobName}/config`)).status).toBe(403);
        });
      }
    },
  );
});
