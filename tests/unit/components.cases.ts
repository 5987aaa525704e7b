// Each component on its own under the engine mocks, built from literal args rather than the whole program. Run by
// program.test.ts, in the same worker as the program's tests (one load of the Pulumi SDK).
import { describe, expect, it } from "vitest";
import { renderFabioJob, renderPrometheusJob, type AclConsumer, type RenderedJob } from "../../render";
import { installMocks, isSecretInput, MOCK_TOKEN_SECRET, promiseOf, type RegisteredResource } from "../support/pulumi";
import { minimalRaw, modelOf, parseRaw } from "../support/stack";

const JOB_TYPE = "nomad:index/job:Job";

const prometheusJob: RenderedJob = {
  name: "prom-a",
  kind: "prometheus",
  type: "service",
  hcl: 'job "prom-a" {\n  type = "service"\n}\n',
};
/** A stack whose Prometheus Fabio is "fabio-a" (prefix "p-") and whose Prometheus is "prom-a". */
const model = modelOf(
  parseRaw({
    ...minimalRaw(),
    "rocketmq-system-jobs:clusterName": "c",
    "rocketmq-system-jobs:fabio": { prometheus: { jobName: "fabio-a", tagPrefix: "p-" } },
    "rocketmq-system-jobs:prometheus": { jobName: "prom-a" },
  }),
);
const consumer: AclConsumer = {
  kind: "fabio",
  jobName: "fabio-a",
  policyName: "rocketmq-c_fabio-a",
  variablePath: "nomad/jobs/fabio-a",
  artifactPath: "consul-acl/rocketmq-c_fabio-a.hcl",
  rules: 'key_prefix "fabio/fabio-a/" {\n  policy = "read"\n}\n',
};

async function mocked() {
  const mocks = await installMocks("test");
  const components = await import("../../components");
  const nomad = await import("@pulumi/nomad");
  return { ...mocks, components, nomad };
}

const ofType = (resources: RegisteredResource[], type: string) => resources.filter((r) => r.type === type);

describe("FabioSystemJob on its own", () => {
  it("registers its role's jobspec as one detached Nomad job it parents, and exposes it with its model", async () => {
    const { components, resources } = await mocked();
    const fabio = new components.FabioSystemJob("a-fabio", { model, role: "prometheus" });
    const fabioJob = renderFabioJob(model, "prometheus");
    expect(await promiseOf(fabio.job.name)).toBe("fabio-a");
    expect([fabio.fabio.ports.proxy, fabio.fabio.ports.ui, fabio.fabio.tagPrefix]).toEqual([9090, 9999, "c.p-"]);

    const [job, ...more] = ofType(resources(), JOB_TYPE);
    expect(more).toEqual([]);
    expect(job!.urn).toContain("::rocketmq:system:FabioSystemJob$nomad:index/job:Job::a-fabio");
    expect(job!.inputs).toEqual({
      jobspec: fabioJob.hcl,
      hcl2: { allowFs: false },
      detach: true,
      purgeOnDestroy: false,
      deregisterOnDestroy: true,
    });
    expect(job!.dependencies).toEqual([]);
  });

  it("holds its Nomad job back until each resource in waitFor exists", async () => {
    const { components, nomad, resources } = await mocked();
    const token = new nomad.Variable("token", { path: "nomad/jobs/fabio-a", items: { consul_token: "x" } });
    const fabio = new components.FabioSystemJob("a-fabio", { model, role: "prometheus", waitFor: [token] });
    await promiseOf(fabio.job.name);
    const variable = ofType(resources(), "nomad:index/variable:Variable")[0]!;
    expect(ofType(resources(), JOB_TYPE)[0]!.dependencies).toEqual([variable.urn]);
  });

  it("gives both Fabios one shape, each from its own role's model", async () => {
    const { components } = await mocked();
    const index = new components.FabioSystemJob("index", { model, role: "nameServerIndex" });
    const prom = new components.FabioSystemJob("prom", { model, role: "prometheus" });
    expect([await promiseOf(index.job.name), await promiseOf(prom.job.name)]).toEqual([
      "fabio-nameserver-index",
      "fabio-a",
    ]);
    expect([index.fabio.tagPrefix, prom.fabio.tagPrefix]).toEqual(["c.rmq-nsindex-", "c.p-"]);
  });
});

describe("PrometheusJob on its own", () => {
  it("registers its jobspec as one Nomad job whose deployment `pulumi up` waits for", async () => {
    const { components, resources } = await mocked();
    const prometheus = new components.PrometheusJob("prom", { model });
    const prometheusJob = renderPrometheusJob(model);
    expect(await promiseOf(prometheus.job.name)).toBe("prom-a");
    expect(model.prometheus.routeTag).toBe("c.p-/");
    const [job, ...more] = ofType(resources(), JOB_TYPE);
    expect(more).toEqual([]);
    expect(job!.urn).toContain("::rocketmq:system:PrometheusJob$nomad:index/job:Job::prom");
    expect(job!.inputs).toMatchObject({ jobspec: prometheusJob.hcl, detach: false });
  });
});

describe("the children functions, under any parent", () => {
  it("createNomadJob registers the jobspec under the given parent, waiting for waitFor", async () => {
    const { components, nomad, pulumi, resources } = await mocked();
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    const token = new nomad.Variable("token", { path: "nomad/jobs/prom-a", items: { consul_token: "x" } });
    const job = components.createNomadJob("prom", parent, { job: prometheusJob, waitFor: [token] });
    expect(await promiseOf(job.name)).toBe("prom-a");
    const [registered] = ofType(resources(), JOB_TYPE);
    expect(registered!.urn).toContain("::test:index:Parent$nomad:index/job:Job::prom");
    expect(registered!.inputs).toMatchObject({ jobspec: prometheusJob.hcl, detach: false });
    expect(registered!.dependencies).toEqual([ofType(resources(), "nomad:index/variable:Variable")[0]!.urn]);
  });

  it("createConsulAccessChildren names the policy, token and variable after the given name", async () => {
    const { components, pulumi, resources } = await mocked();
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    const { variable } = components.createConsulAccessChildren("x", parent, { consumer });
    await promiseOf(variable.id);
    expect(resources().map((r) => [r.type, r.name])).toEqual([
      ["test:index:Parent", "parent"],
      ["consul:index/aclPolicy:AclPolicy", "x"],
      ["consul:index/aclToken:AclToken", "x"],
      ["nomad:index/variable:Variable", "x"],
    ]);
  });
});

describe("ConsulAccess on its own", () => {
  it("creates the job's policy, a token with it and a secret Nomad Variable holding the token, all its children", async () => {
    const { components, resources } = await mocked();
    const access = new components.ConsulAccess("a-access", { consumer, datacenter: "dc9" });
    expect(await promiseOf(access.policy.name)).toBe("rocketmq-c_fabio-a");
    await promiseOf(access.variable.id);

    const all = resources();
    const policy = ofType(all, "consul:index/aclPolicy:AclPolicy");
    const token = ofType(all, "consul:index/aclToken:AclToken");
    const variable = ofType(all, "nomad:index/variable:Variable");
    for (const child of [...policy, ...token, ...variable]) {
      expect(child.urn).toContain(`::rocketmq:system:ConsulAccess$${child.type}::a-access`);
    }
    expect(policy.map((p) => p.inputs)).toEqual([
      {
        name: "rocketmq-c_fabio-a",
        description: "rocketmq-system-jobs: what the fabio-a job needs from Consul",
        rules: consumer.rules,
        datacenters: ["dc9"],
      },
    ]);
    expect(token.map((t) => t.inputs)).toEqual([
      { description: "rocketmq-system-jobs: fabio-a", policies: ["rocketmq-c_fabio-a"], local: false },
    ]);
    expect(variable.map((v) => v.inputs.path)).toEqual(["nomad/jobs/fabio-a"]);
    expect(isSecretInput(variable[0]!.inputs.items)).toBe(true);
    expect(JSON.stringify(variable[0]!.inputs.items)).toContain(`"consul_token":"${MOCK_TOKEN_SECRET}"`);
  });

  it("leaves the policy's datacenter to the provider when none is given", async () => {
    const { components, resources } = await mocked();
    await promiseOf(new components.ConsulAccess("a-access", { consumer }).policy.name);
    expect(ofType(resources(), "consul:index/aclPolicy:AclPolicy")[0]!.inputs).not.toHaveProperty("datacenters");
  });
});

describe("createConsulAccessPerJob", () => {
  const acl = { enabled: true, apiAddress: "consul.example:8501", scheme: "https" as const, datacenter: undefined };

  it("creates nothing and reads no management token when ACLs are off", async () => {
    const { components, resources } = await mocked();
    const access = components.createConsulAccessPerJob({
      acl: { ...acl, enabled: false },
      consumers: [consumer],
      managementToken: () => {
        throw new Error("read the management token");
      },
    });
    expect(access.size).toBe(0);
    expect(components.tokenVariablesOf(access, "fabio-a")).toEqual([]);
    expect(resources()).toEqual([]);
  });

  it("gives each consumer a ConsulAccess through one explicit provider holding the management token", async () => {
    const { components, resources } = await mocked();
    const access = components.createConsulAccessPerJob({
      acl,
      consumers: [consumer],
      managementToken: () => "management-token",
    });
    expect([...access.keys()]).toEqual(["fabio-a"]);
    await promiseOf(access.get("fabio-a")!.policy.name);
    const [provider, ...more] = ofType(resources(), "pulumi:providers:consul");
    expect(more).toEqual([]);
    expect(provider!.inputs).toMatchObject({ address: "consul.example:8501", scheme: "https" });
    expect(components.tokenVariablesOf(access, "fabio-a")).toEqual([access.get("fabio-a")!.variable]);
    expect(components.tokenVariablesOf(access, "other-job")).toEqual([]);
  });
});
