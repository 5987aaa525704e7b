import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { loadStackFile } from "../../config";
import {
  aclConsumers,
  fabioProperties,
  prometheusConfig,
  prometheusYaml,
  renderJobs,
  tokenTemplateExpression,
} from "../../render";
import { renderArtifacts } from "../../render/artifacts";
import { parseHcl, parseJobspec, type HclBody } from "../support/hcl";
import { loadStack, stackFile } from "../support/stack";

const prod = loadStack("prod");
const dev = loadStack("dev");

describe("Consul ACL policies", () => {
  it("exist for both Fabios and Prometheus when ACLs are on, and not at all when off", () => {
    expect(aclConsumers(prod).map((c) => [c.kind, c.jobName, c.policyName])).toEqual([
      ["fabio", "fabio-nameserver-index", "fabio-nameserver-index"],
      ["fabio", "fabio-prometheus", "fabio-prometheus"],
      ["prometheus", "prometheus", "prometheus"],
    ]);
    expect(aclConsumers(dev)).toEqual([]);
  });

  it("let a Fabio read services, nodes, the agent and only its own KV prefix", async () => {
    const rules = await parseHcl(aclConsumers(prod)[0]!.rules);
    expect(rules).toEqual({
      service_prefix: { "": [{ policy: "read" }] },
      node_prefix: { "": [{ policy: "read" }] },
      agent_prefix: { "": [{ policy: "read" }] },
      key_prefix: { "fabio/fabio-nameserver-index/": [{ policy: "read" }] },
    });
  });

  it("give the Fabio's KV prefix exactly the paths its properties read", () => {
    const properties = fabioProperties(prod, "nameServerIndex");
    expect(properties).toContain("registry.consul.kvpath = /fabio/fabio-nameserver-index/config\n");
    expect(properties).toContain("registry.consul.noroutehtmlpath = /fabio/fabio-nameserver-index/noroute.html\n");
  });

  it("let Prometheus read services, nodes and the agent, and nothing in KV", async () => {
    const rules = await parseHcl(aclConsumers(prod)[2]!.rules);
    expect(Object.keys(rules).sort()).toEqual(["agent_prefix", "node_prefix", "service_prefix"]);
  });

  it("are written by the render CLI as consul-acl/<policy>.hcl only when ACLs are on", () => {
    const aclFiles = (cfg: typeof prod, stack: string) =>
      renderArtifacts(cfg, stack)
        .map((a) => a.path)
        .filter((p) => p.startsWith("consul-acl/"));
    expect(aclFiles(prod, "prod")).toEqual([
      "consul-acl/fabio-nameserver-index.hcl",
      "consul-acl/fabio-prometheus.hcl",
      "consul-acl/prometheus.hcl",
    ]);
    expect(aclFiles(dev, "dev")).toEqual([]);
  });
});

describe("token delivery", () => {
  it("gives each Fabio its own token as CONSUL_HTTP_TOKEN, never in fabio.properties, which Fabio logs", async () => {
    for (const role of ["nameServerIndex", "prometheus"] as const) {
      const job = prod.fabio[role].jobName;
      const rendered = renderJobs(prod, "prod").find((j) => j.name === job)!;
      const { task } = await parseJobspec(rendered.hcl);
      const [properties, tokenEnv] = task.template as HclBody[];
      expect(properties!.data).not.toMatch(/token|nomadVar/);
      expect(tokenEnv).toEqual({
        destination: "secrets/consul-token.env",
        env: true,
        change_mode: "restart",
        data: `CONSUL_HTTP_TOKEN={{ with nomadVar "nomad/jobs/${job}" }}{{ .consul_token }}{{ end }}\n`,
      });
      expect(fabioProperties(dev, role)).not.toContain("token");
    }
  });

  it("gives Prometheus the token for consul_sd and as bearer token for Consul's metrics", () => {
    const expression = tokenTemplateExpression("prometheus");
    const config = prometheusConfig(prod);
    for (const job of config.scrape_configs) expect(job.consul_sd_configs[0]!.token).toBe(expression);
    const consulJob = config.scrape_configs.find((j) => j.job_name === "consul-servers")!;
    expect(consulJob.bearer_token).toBe(expression);
    expect(config.scrape_configs.filter((j) => j.bearer_token !== undefined)).toHaveLength(1);
    expect(parseYaml(prometheusYaml(prod))).toEqual(config);
  });

  it("leaves every token lookup out when ACLs are off", () => {
    expect(prometheusYaml(dev)).not.toMatch(/token|nomadVar/);
    for (const job of renderJobs(dev, "dev")) expect(job.hcl).not.toContain("nomadVar");
  });

  it("refuses a job name that would break out of the template action", () => {
    expect(() => tokenTemplateExpression('x" }}{{ env "HOME')).toThrow(/refusing to build a Nomad Variable path/);
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
