// Each component on its own under the engine mocks, built from literal args rather than the whole program.
import { describe, expect, it } from "vitest";
import { fabioSystemJobArgs } from "../../components";
import type { AclConsumer, RenderedJob } from "../../render";
import { installMocks, isSecretInput, MOCK_TOKEN_SECRET, promiseOf, type RegisteredResource } from "../support/pulumi";
import { loadStack } from "../support/stack";

const JOB_TYPE = "nomad:index/job:Job";

const fabioJob: RenderedJob = {
  name: "fabio-a",
  kind: "fabio",
  type: "system",
  hcl: 'job "fabio-a" {\n  type = "system"\n}\n',
};
const prometheusJob: RenderedJob = {
  name: "prom-a",
  kind: "prometheus",
  type: "service",
  hcl: 'job "prom-a" {\n  type = "service"\n}\n',
};
const consumer: AclConsumer = {
  kind: "fabio",
  jobName: "fabio-a",
  policyName: "rocketmq-c_fabio-a",
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
  it("registers its jobspec as one detached Nomad job it parents, and exposes its ports and prefix", async () => {
    const { components, resources } = await mocked();
    const fabio = new components.FabioSystemJob("a-fabio", {
      job: fabioJob,
      proxyPort: 8080,
      uiPort: 9998,
      tagPrefix: "p-",
    });
    expect(await promiseOf(fabio.jobName)).toBe("fabio-a");
    expect([fabio.proxyPort, fabio.uiPort, fabio.tagPrefix, fabio.jobspec]).toEqual([8080, 9998, "p-", fabioJob.hcl]);

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
    const fabio = new components.FabioSystemJob("a-fabio", {
      job: fabioJob,
      proxyPort: 8080,
      uiPort: 9998,
      tagPrefix: "p-",
      waitFor: [token],
    });
    await promiseOf(fabio.jobName);
    const variable = ofType(resources(), "nomad:index/variable:Variable")[0]!;
    expect(ofType(resources(), JOB_TYPE)[0]!.dependencies).toEqual([variable.urn]);
  });

  it("refuses a service job with a ResourceError naming the job", async () => {
    const { components, pulumi } = await mocked();
    const attempt = () =>
      new components.FabioSystemJob("a-fabio", { job: prometheusJob, proxyPort: 1, uiPort: 2, tagPrefix: "p-" });
    expect(attempt).toThrow('job "prom-a" is a prometheus service job; this component takes a fabio system job');
    expect(attempt).toThrow(pulumi.ResourceError);
  });

  it("gets its args from the stack config's Fabio of the given role", () => {
    const args = fabioSystemJobArgs(loadStack("dev"), "prometheus", "dev");
    expect({ ...args, job: { name: args.job.name, kind: args.job.kind, type: args.job.type } }).toEqual({
      job: { name: "fabio-prometheus", kind: "fabio", type: "system" },
      proxyPort: 9090,
      uiPort: 9999,
      tagPrefix: "dev.rmq-prometheus-",
      waitFor: undefined,
    });
  });
});

describe("PrometheusJob on its own", () => {
  it("registers its jobspec as one Nomad job whose deployment `pulumi up` waits for", async () => {
    const { components, resources } = await mocked();
    const prometheus = new components.PrometheusJob("prom", { job: prometheusJob, routeTag: "p-/" });
    expect(await promiseOf(prometheus.jobName)).toBe("prom-a");
    expect(prometheus.routeTag).toBe("p-/");
    const [job, ...more] = ofType(resources(), JOB_TYPE);
    expect(more).toEqual([]);
    expect(job!.urn).toContain("::rocketmq:system:PrometheusJob$nomad:index/job:Job::prom");
    expect(job!.inputs).toMatchObject({ jobspec: prometheusJob.hcl, detach: false });
  });

  it("refuses a Fabio job with a ResourceError naming the job", async () => {
    const { components, pulumi } = await mocked();
    const attempt = () => new components.PrometheusJob("prom", { job: fabioJob, routeTag: "p-/" });
    expect(attempt).toThrow('job "fabio-a" is a fabio system job; this component takes a prometheus service job');
    expect(attempt).toThrow(pulumi.ResourceError);
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
    expect(await promiseOf(access.policyName)).toBe("rocketmq-c_fabio-a");
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
    await promiseOf(new components.ConsulAccess("a-access", { consumer }).policyName);
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
    await promiseOf(access.get("fabio-a")!.policyName);
    const [provider, ...more] = ofType(resources(), "pulumi:providers:consul");
    expect(more).toEqual([]);
    expect(provider!.inputs).toMatchObject({ address: "consul.example:8501", scheme: "https" });
    expect(components.tokenVariablesOf(access, "fabio-a")).toEqual([access.get("fabio-a")!.variable]);
    expect(components.tokenVariablesOf(access, "other-job")).toEqual([]);
  });
});
