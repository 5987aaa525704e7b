import { describe, expect, it } from "vitest";
import type { FabioRole } from "../../config";
import { fabioProperties, renderFabioJob, renderJobs } from "../../render";
import { only, parseJobspec, type HclBody } from "../support/hcl";
import { loadStack, minimalRaw, parseRaw, STACKS, modelOf } from "../support/stack";

/** Reads fabio.properties text back into a map, the way Fabio reads `key = value` lines. */
function readProperties(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const [key, ...value] = line.split("=");
        return [key!.trim(), value.join("=").trim()];
      }),
  );
}

describe.each(STACKS)("the %s stack's Fabio jobs", (stack) => {
  const cfg = loadStack(stack);

  it.each<[FabioRole, number]>([
    ["nameServerIndex", 8080],
    ["prometheus", 9090],
  ])("%s is a system job on NameServer hosts with its proxy on %i", async (role, proxyPort) => {
    const instance = cfg.fabio[role];
    const { id, job, group, task } = await parseJobspec(renderFabioJob(modelOf(cfg, stack), role).hcl);

    expect(id).toBe(instance.jobName);
    expect(job.type).toBe("system");
    expect(job.region).toBe(cfg.nomad.region);
    expect(job.datacenters).toEqual(cfg.nomad.datacenters);
    expect(only(job.constraint)).toEqual({ attribute: "${node.class}", value: "nameServer" });
    expect(only(job.update)).toEqual({ max_parallel: 1, stagger: "30s" });

    const ports = only<HclBody>(group.network).port as Record<string, HclBody[]>;
    expect(only(ports.proxy)).toEqual({ static: proxyPort });
    expect(only(ports.ui)).toEqual({ static: instance.uiPort });
    expect(only(ports.metrics)).toEqual({ static: instance.metricsPort });
    expect(only(group.restart)).toMatchObject({ mode: "delay" });

    const [service, metrics] = group.service as HclBody[];
    expect(service).toMatchObject({ name: instance.jobName, port: "ui", tags: ["fabio", `cluster-${stack}`] });
    expect(only(service!.check)).toMatchObject({ type: "http", path: "/health" });
    // Prometheus discovers the metrics listener through its own service.
    expect(metrics).toMatchObject({ name: `${instance.jobName}-metrics`, port: "metrics" });
    expect(only(metrics!.check)).toMatchObject({ type: "http", path: "/metrics" });

    expect(task.driver).toBe("docker");
    expect(only(task.config)).toEqual({
      image: "fabiolb/fabio:1.6.3",
      network_mode: "host",
      args: ["-cfg", "/local/fabio.properties"],
    });
    expect(only(task.resources)).toEqual(instance.resources);

    const [template, tokenEnv] = task.template as HclBody[];
    expect(tokenEnv === undefined).toBe(!cfg.consul.acl.enabled);
    expect(template!.destination).toBe("local/fabio.properties");
    expect(template!.change_mode).toBe("restart");
    expect(template!.data).toBe(fabioProperties(modelOf(cfg), role));
  });

  it("gives each Fabio its own ports, prefix, KV path and service name", () => {
    const index = readProperties(fabioProperties(modelOf(cfg), "nameServerIndex"));
    const prom = readProperties(fabioProperties(modelOf(cfg), "prometheus"));
    expect(index).toMatchObject({
      "proxy.addr": `:8080,:${cfg.fabio.nameServerIndex.metricsPort};proto=prometheus`,
      "metrics.target": "prometheus",
      "metrics.prefix": "fabio",
      "ui.addr": `:${cfg.fabio.nameServerIndex.uiPort}`,
      "registry.consul.tagprefix": `${stack}.rmq-nsindex-`,
      "registry.consul.addr": cfg.consul.address,
      "registry.consul.register.enabled": "false",
      "proxy.matcher": "glob",
    });
    expect(prom).toMatchObject({
      "proxy.addr": `:9090,:${cfg.fabio.prometheus.metricsPort};proto=prometheus`,
      "registry.consul.tagprefix": `${stack}.rmq-prometheus-`,
      "registry.consul.register.enabled": "false",
      "proxy.matcher": "prefix",
    });
    // Per stack too: two stacks on one Consul neither route nor override each other.
    expect(index["registry.consul.kvpath"]).toBe(`/fabio/${stack}/fabio-nameserver-index/config`);
    expect(prom["registry.consul.kvpath"]).toBe(`/fabio/${stack}/fabio-prometheus/config`);
    for (const key of [
      "ui.addr",
      "registry.consul.tagprefix",
      "registry.consul.kvpath",
      "registry.consul.noroutehtmlpath",
    ]) {
      expect(index[key], key).not.toBe(prom[key]);
    }
  });

  it.each<FabioRole>(["nameServerIndex", "prometheus"])(
    "runs the %s Fabio with a read-only UI/API and routes only to instances whose every check passes",
    (role) => {
      expect(readProperties(fabioProperties(modelOf(cfg), role))).toMatchObject({
        "ui.access": "ro",
        "registry.consul.checksRequired": "all",
      });
    },
  );

  it("renders byte-identical jobspecs twice from the same config", () => {
    const first = renderJobs(modelOf(loadStack(stack), stack)).map((job) => job.hcl);
    const second = renderJobs(modelOf(loadStack(stack), stack)).map((job) => job.hcl);
    expect(second).toEqual(first);
  });
});

describe("NameServer host selection", () => {
  it("constrains on node metadata when configured so", async () => {
    const cfg = parseRaw({
      ...minimalRaw(),
      "rocketmq-system-jobs:nameServerHosts": { by: "meta", key: "rocketmq_role", value: "nameserver" },
    });
    const { job } = await parseJobspec(renderFabioJob(modelOf(cfg, "test"), "nameServerIndex").hcl);
    expect(only(job.constraint)).toEqual({ attribute: "${meta.rocketmq_role}", value: "nameserver" });
  });

  it("refuses a metadata key that would break out of the constraint expression", () => {
    const cfg = parseRaw(minimalRaw());
    const hostile = { ...cfg, nameServerHosts: { by: "meta" as const, key: 'x}" evil = "', value: "v" } };
    expect(() => renderFabioJob(modelOf(hostile, "test"), "nameServerIndex")).toThrow(
      /refusing to write node meta key/,
    );
  });
});
