// The stack model: every derived name of a stack, resolved once from config, stack name and source file.
import { describe, expect, it } from "vitest";
import { resolveStack } from "../../model";
import { loadStack, minimalRaw, parseRaw } from "../support/stack";

describe("the stack model", () => {
  const prod = resolveStack({ config: loadStack("prod"), stack: "prod" });

  it("names the stack file Pulumi.<stack>.yaml unless told which file was read", () => {
    expect(prod.source).toBe("Pulumi.prod.yaml");
    expect(resolveStack({ config: loadStack("prod"), stack: "prod", source: "custom.yaml" }).source).toBe(
      "custom.yaml",
    );
  });

  it("resolves each Fabio's name, ports, effective tag prefix, KV prefix, metrics service, ACL and artifacts", () => {
    const index = prod.fabios.nameServerIndex;
    expect(index.config).toBe(prod.config.fabio.nameServerIndex);
    expect({ ...index, config: "the instance's config" }).toEqual({
      config: "the instance's config",
      name: "fabio-nameserver-index",
      kind: "fabio",
      type: "system",
      role: "nameServerIndex",
      ports: { proxy: 8080, ui: 9998, metrics: 9997 },
      tagPrefix: "prod.rmq-nsindex-",
      kvPrefix: "fabio/prod/fabio-nameserver-index/",
      metricsService: "fabio-nameserver-index-metrics",
      aclPolicyName: "rocketmq-prod_fabio-nameserver-index",
      variablePath: "nomad/jobs/fabio-nameserver-index",
      artifacts: {
        jobspec: "jobs/fabio-nameserver-index.nomad.hcl",
        fabioProperties: "jobs/fabio-nameserver-index.fabio.properties",
        aclPolicy: "consul-acl/rocketmq-prod_fabio-nameserver-index.hcl",
      },
    });
  });

  it("routes Prometheus through the Prometheus Fabio's prefix and lists every job in render order", () => {
    expect(prod.prometheus).toEqual({
      name: "prometheus",
      kind: "prometheus",
      type: "service",
      routeTag: "prod.rmq-prometheus-/",
      aclPolicyName: "rocketmq-prod_prometheus",
      variablePath: "nomad/jobs/prometheus",
      artifacts: { jobspec: "jobs/prometheus.nomad.hcl", aclPolicy: "consul-acl/rocketmq-prod_prometheus.hcl" },
    });
    // prod deploys its Alertmanager (prometheus.alerting.delivery: deployed), last.
    expect(prod.jobs.map((job) => job.name)).toEqual([
      "fabio-nameserver-index",
      "fabio-prometheus",
      "prometheus",
      "alertmanager",
    ]);
  });

  it("holds the deployed Alertmanager's peers service and the task-only Nomad Variable of its secrets", () => {
    expect(prod.alertmanager).toMatchObject({
      name: "alertmanager",
      kind: "alertmanager",
      type: "service",
      peersService: "alertmanager-cluster",
      secretsVariablePath: "nomad/jobs/alertmanager/alertmanager/alertmanager",
      artifacts: { jobspec: "jobs/alertmanager.nomad.hcl", config: "alertmanager/alertmanager.yml" },
    });
  });

  it("holds the cluster tags, the Nomad agents' services and what Prometheus discovers", () => {
    expect([prod.clusterTag, prod.consulServerTag, prod.nomadServerService, prod.nomadClientService]).toEqual([
      "cluster-prod",
      "cluster-prod",
      "prod-nomad",
      "prod-nomad-client",
    ]);
    expect(prod.discovered).toEqual({
      nomadServers: ["prod-nomad"],
      nomadClients: ["prod-nomad-client"],
      consulServers: ["consul_http"],
      fabios: ["fabio-nameserver-index-metrics", "fabio-prometheus-metrics"],
      prometheus: ["prometheus"],
      alertmanagers: ["alertmanager"],
    });
  });

  it("scrapes another cluster's Consul servers when consul.serverCluster names one", () => {
    const config = parseRaw({ ...minimalRaw(), "rocketmq-system-jobs:consul": { serverCluster: "core" } });
    const model = resolveStack({ config, stack: "test" });
    expect([model.clusterTag, model.consulServerTag]).toEqual(["cluster-test", "cluster-core"]);
  });

  it("is frozen, so no layer can change a derived name", () => {
    expect(Object.isFrozen(prod)).toBe(true);
    expect(Object.isFrozen(prod.fabios.prometheus.ports)).toBe(true);
    expect(Object.isFrozen(prod.jobs)).toBe(true);
  });
});
