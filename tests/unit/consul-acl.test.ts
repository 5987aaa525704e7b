import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { aclPolicyName, FABIO_ROLES, loadStackFile } from "../../config";
import { nomadVariablePath } from "../../model";
import {
  aclConsumers,
  fabioProperties,
  prometheusConfig,
  prometheusYaml,
  renderJobs,
  tokenTemplateExpression,
} from "../../render";
import { parseHcl, parseJobspec, type HclBody } from "../support/hcl";
import { loadArtifacts, loadStack, parseRaw, stackFile, modelOf } from "../support/stack";
import { readStackFileConfig } from "../support/pulumi";

const prod = loadStack("prod");
const dev = loadStack("dev");

/** The prod stack file's raw config with other job names. */
function rawOf(jobs: { index: string; prom: string; prometheus: string }): Record<string, unknown> {
  const raw = readStackFileConfig(stackFile("prod"));
  const fabio = raw["rocketmq-system-jobs:fabio"] as Record<string, Record<string, unknown>>;
  return {
    ...raw,
    "rocketmq-system-jobs:fabio": {
      ...fabio,
      nameServerIndex: { ...fabio.nameServerIndex, jobName: jobs.index },
      prometheus: { ...fabio.prometheus, jobName: jobs.prom },
    },
    "rocketmq-system-jobs:prometheus": {
      ...(raw["rocketmq-system-jobs:prometheus"] as Record<string, unknown>),
      jobName: jobs.prometheus,
    },
  };
}

function withJobs(jobs: { index: string; prom: string; prometheus: string }) {
  return parseRaw(rawOf(jobs));
}

describe("Consul ACL policies", () => {
  it("exist for both Fabios and Prometheus when ACLs are on, and not at all when off", () => {
    expect(aclConsumers(modelOf(prod)).map((c) => [c.kind, c.jobName, c.policyName])).toEqual([
      ["fabio", "fabio-nameserver-index", "rocketmq-prod_fabio-nameserver-index"],
      ["fabio", "fabio-prometheus", "rocketmq-prod_fabio-prometheus"],
      ["prometheus", "prometheus", "rocketmq-prod_prometheus"],
    ]);
    expect(aclConsumers(modelOf(dev))).toEqual([]);
  });

  it("are named per cluster, so stacks sharing one Consul never share a policy", () => {
    const staging = { ...prod, clusterName: "staging" };
    const names = [prod, staging].flatMap((cfg) => aclConsumers(modelOf(cfg)).map((c) => c.policyName));
    expect(new Set(names).size).toBe(6);
  });

  it("are named apart for a Fabio job prometheus-x and a Prometheus job fabio-prometheus-x", () => {
    const cfg = withJobs({ index: "prometheus-x", prom: "fabio-y", prometheus: "fabio-prometheus-x" });
    expect(aclConsumers(modelOf(cfg)).map((c) => c.policyName)).toEqual([
      "rocketmq-prod_prometheus-x",
      "rocketmq-prod_fabio-y",
      "rocketmq-prod_fabio-prometheus-x",
    ]);
  });

  it("cannot be confused across clusters whose name and job name split differently at a '-'", () => {
    expect(aclPolicyName("a", "b-prometheus")).not.toBe(aclPolicyName("a-b", "prometheus"));
  });

  it("fit Consul's 128-character policy names, or the config names the cluster as too long", () => {
    const longest = { index: "i".repeat(55), prom: "p".repeat(55), prometheus: "m".repeat(63) };
    expect(() => parseRaw({ ...rawOf(longest), "rocketmq-system-jobs:clusterName": "c".repeat(55) })).not.toThrow();
    expect(() => parseRaw({ ...rawOf(longest), "rocketmq-system-jobs:clusterName": "c".repeat(56) })).toThrow(
      'Pulumi.test.yaml: rocketmq-system-jobs:clusterName: is too long with Consul ACLs on: the ACL policy for job "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm" would have a 129-character name, and Consul allows 128',
    );
    const name = aclPolicyName("c".repeat(55), "m".repeat(63));
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,128}$/); // Consul's own rule for policy names
  });

  it("let a Fabio read services, nodes, the agent and only its own KV prefix", async () => {
    const rules = await parseHcl(aclConsumers(modelOf(prod))[0]!.rules);
    expect(rules).toEqual({
      service_prefix: { "": [{ policy: "read" }] },
      node_prefix: { "": [{ policy: "read" }] },
      agent_prefix: { "": [{ policy: "read" }] },
      key_prefix: { "fabio/prod/fabio-nameserver-index/": [{ policy: "read" }] },
    });
  });

  it("give the Fabio's KV prefix exactly the paths its properties read", () => {
    const properties = fabioProperties(modelOf(prod), "nameServerIndex");
    expect(properties).toContain("registry.consul.kvpath = /fabio/prod/fabio-nameserver-index/config\n");
    expect(properties).toContain("registry.consul.noroutehtmlpath = /fabio/prod/fabio-nameserver-index/noroute.html\n");
  });

  it("let Prometheus read services, nodes and the agent, and nothing in KV", async () => {
    const rules = await parseHcl(aclConsumers(modelOf(prod))[2]!.rules);
    expect(Object.keys(rules).sort()).toEqual(["agent_prefix", "node_prefix", "service_prefix"]);
  });

  it("are written by the render CLI as consul-acl/<policy>.hcl only when ACLs are on", () => {
    const aclFiles = (stack: string) =>
      loadArtifacts(stack)
        .map((a) => a.path)
        .filter((p) => p.startsWith("consul-acl/"));
    expect(aclFiles("prod")).toEqual([
      "consul-acl/rocketmq-prod_fabio-nameserver-index.hcl",
      "consul-acl/rocketmq-prod_fabio-prometheus.hcl",
      "consul-acl/rocketmq-prod_prometheus.hcl",
    ]);
    expect(aclFiles("dev")).toEqual([]);
  });
});

describe("token delivery", () => {
  it("gives each Fabio its own token as CONSUL_HTTP_TOKEN, never in fabio.properties, which Fabio logs", async () => {
    for (const role of FABIO_ROLES) {
      const job = prod.fabio[role].jobName;
      const rendered = renderJobs(modelOf(prod, "prod")).find((j) => j.name === job)!;
      const { task } = await parseJobspec(rendered.hcl);
      const [properties, tokenEnv] = task.template as HclBody[];
      expect(properties!.data).not.toMatch(/token|nomadVar/);
      expect(tokenEnv).toEqual({
        destination: "secrets/consul-token.env",
        env: true,
        change_mode: "restart",
        data: `CONSUL_HTTP_TOKEN={{ with nomadVar "nomad/jobs/${job}" }}{{ .consul_token }}{{ end }}\n`,
      });
      expect(fabioProperties(modelOf(dev), role)).not.toContain("token");
    }
  });

  it("gives Prometheus the token for consul_sd and as bearer token for Consul's metrics", () => {
    const expression = tokenTemplateExpression(modelOf(prod).prometheus);
    const config = prometheusConfig(modelOf(prod));
    const fromConsul = config.scrape_configs.filter((job) => job.consul_sd_configs !== undefined);
    for (const job of fromConsul) expect(job.consul_sd_configs![0]!.token).toBe(expression);
    const consulJob = config.scrape_configs.find((j) => j.job_name === "consul-servers")!;
    expect(consulJob.bearer_token).toBe(expression);
    expect(config.scrape_configs.filter((j) => j.bearer_token !== undefined)).toHaveLength(1);
    expect(parseYaml(prometheusYaml(modelOf(prod)))).toEqual(config);
  });

  it("leaves every token lookup out when ACLs are off", () => {
    expect(prometheusYaml(modelOf(dev))).not.toMatch(/token|nomadVar/);
    for (const job of renderJobs(modelOf(dev, "dev"))) expect(job.hcl).not.toContain("nomadVar");
  });

  it("refuses a job name that would break out of the template action", () => {
    const name = 'x" }}{{ env "HOME';
    expect(() => tokenTemplateExpression({ name, variablePath: nomadVariablePath(name) })).toThrow(
      /refusing to build a Nomad Variable path/,
    );
  });
});

describe("the Consul ACL config", () => {
  const writeStack = (edit: (text: string) => string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acl-"));
    const file = path.join(dir, "Pulumi.acl.yaml");
    fs.writeFileSync(file, edit(fs.readFileSync(stackFile("prod"), "utf8")));
    return file;
  };

  it("requires the API address Pulumi manages ACLs through when ACLs are on", () => {
    const file = writeStack((t) => t.replace("      apiAddress: consul.prod.internal:8501\n", ""));
    expect(() => loadStackFile(file)).toThrow(
      "Pulumi.acl.yaml: rocketmq-system-jobs:consul.acl.apiAddress: is required when consul.acl.enabled is true (the Consul API Pulumi creates ACL policies through)",
    );
  });

  it("rejects a management token written in plain text into the stack file", () => {
    const file = writeStack((t) => `${t}  rocketmq-system-jobs:consulAclToken: 11111111-2222-3333-4444-555555555555\n`);
    expect(() => loadStackFile(file)).toThrow(
      "Pulumi.acl.yaml: rocketmq-system-jobs:consulAclToken: is stored in plain text; set it with `pulumi config set --secret consulAclToken <value>`",
    );
  });

  it("accepts an encrypted management token and keeps it out of the validated config", () => {
    const file = writeStack((t) => `${t}  rocketmq-system-jobs:consulAclToken:\n    secure: AAABAD0ZWJ5dGVz\n`);
    const cfg = loadStackFile(file);
    expect(JSON.stringify(cfg)).not.toContain("AAABAD0ZWJ5dGVz");
  });
});
