import { describe, expect, it } from "vitest";
import { renderJobs } from "../../render";
import { only, parseJobspec } from "../support/hcl";
import { runProgram, stackFileConfig } from "../support/pulumi";
import { loadStack, STACKS } from "../support/stack";

describe.each(STACKS)("the Pulumi program on the %s stack", (stack) => {
  it("creates each system job as a component parenting one Nomad job with the rendered jobspec", async () => {
    const { resources, error } = await runProgram(stack, stackFileConfig(stack));
    expect(error).toBeUndefined();
    const components = resources.filter((r) => r.type.startsWith("rocketmq:system:"));
    const jobs = resources.filter((r) => r.type === "nomad:index/job:Job");

    expect(components.map((c) => [c.type, c.name])).toEqual([
      ["rocketmq:system:FabioSystemJob", "nameserver-index-fabio"],
      ["rocketmq:system:FabioSystemJob", "prometheus-fabio"],
      ["rocketmq:system:PrometheusJob", "prometheus"],
    ]);
    expect(jobs.map((j) => j.name)).toEqual(["nameserver-index-fabio", "prometheus-fabio", "prometheus"]);
    jobs.forEach((job, i) => expect(job.urn).toContain(`::${components[i]!.type}$nomad:index/job:Job::${job.name}`));

    const expected = renderJobs(loadStack(stack), stack);
    expect(jobs.map((j) => j.inputs.jobspec)).toEqual(expected.map((j) => j.hcl));
    for (const job of jobs) expect(job.inputs).toMatchObject({ deregisterOnDestroy: true, purgeOnDestroy: false });
    // System jobs have no deployment to wait for; the Prometheus deployment is health-gated and waited on.
    expect(jobs.map((j) => j.inputs.detach)).toEqual([true, true, false]);
  });

  it("tags the Prometheus service with the Prometheus Fabio's prefix from the same config value", async () => {
    const config = stackFileConfig(stack);
    const fabio = config["rocketmq-system-jobs:fabio"] as Record<string, Record<string, unknown>>;
    fabio.prometheus = { ...fabio.prometheus, tagPrefix: "changed-prefix-" };
    const { resources } = await runProgram(stack, config);
    const prometheus = resources.find((r) => r.type === "nomad:index/job:Job" && r.name === "prometheus")!;
    const { group } = await parseJobspec(String(prometheus.inputs.jobspec));
    expect(only(group.service).tags).toContain("changed-prefix-/");
  });

  it("exports the lookup pattern, job names and tag prefixes", async () => {
    const cfg = loadStack(stack);
    const { outputs } = await runProgram(stack, stackFileConfig(stack));
    expect(outputs).toEqual({
      nameServerIndexUrlPattern: "http://<nameserver-host>:8080/rocketmq/<subgroup>",
      nameServerIndexServiceTagPattern: `${cfg.fabio.nameServerIndex.tagPrefix}/rocketmq/<subgroup>`,
      nameServerIndexFabioJob: cfg.fabio.nameServerIndex.jobName,
      nameServerIndexTagPrefix: cfg.fabio.nameServerIndex.tagPrefix,
      prometheusFabioJob: cfg.fabio.prometheus.jobName,
      prometheusFabioTagPrefix: cfg.fabio.prometheus.tagPrefix,
      prometheusJob: cfg.prometheus.jobName,
      prometheusUrlPattern: "http://<nameserver-host>:9090/",
    });
  });
});

describe("the Pulumi program on bad config", () => {
  it("fails with the stack file and key named, before registering any resource", async () => {
    const config = stackFileConfig("prod");
    const fabio = config["rocketmq-system-jobs:fabio"] as Record<string, Record<string, unknown>>;
    fabio.prometheus = { ...fabio.prometheus, proxyPort: 8080 };
    const { error, resources } = await runProgram("prod", config);
    expect((error as Error).message).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.proxyPort: port 8080 is already used by fabio.nameServerIndex.proxyPort on the same host",
    );
    // RunError is how a Pulumi program reports a user error without a stack trace.
    expect((error as Error).constructor.name).toBe("RunError");
    expect(resources).toEqual([]);
  });
});
