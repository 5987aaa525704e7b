import { describe, expect, it } from "vitest";
import { renderJobs } from "../../render";
import { runProgram, stackFileConfig } from "../support/pulumi";
import { loadStack, STACKS } from "../support/stack";

describe.each(STACKS)("the Pulumi program on the %s stack", (stack) => {
  it("creates the two Fabio components, each parenting one Nomad job with the rendered jobspec", async () => {
    const { resources, error } = await runProgram(stack, stackFileConfig(stack));
    expect(error).toBeUndefined();
    const components = resources.filter((r) => r.type === "rocketmq:system:FabioSystemJob");
    const jobs = resources.filter((r) => r.type === "nomad:index/job:Job");

    expect(components.map((c) => c.name)).toEqual(["nameserver-index-fabio", "prometheus-fabio"]);
    expect(jobs.map((j) => j.name)).toEqual(["nameserver-index-fabio", "prometheus-fabio"]);
    for (const job of jobs) {
      expect(job.urn).toContain("::rocketmq:system:FabioSystemJob$nomad:index/job:Job::");
    }

    const expected = renderJobs(loadStack(stack), stack);
    expect(jobs.map((j) => j.inputs.jobspec)).toEqual(expected.map((j) => j.hcl));
    for (const job of jobs) {
      expect(job.inputs).toMatchObject({ detach: true, deregisterOnDestroy: true, purgeOnDestroy: false });
    }
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
