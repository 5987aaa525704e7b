// What a real Nomad would refuse or fail to run, checked on every rendered jobspec without Nomad (the Nomad
// tier, npm run test:nomad, validates, plans and registers the same files on a real agent).
import { describe, expect, it } from "vitest";
import { renderJobs } from "../../render";
import { jobspecProblems } from "../support/jobspec-rules";
import { loadStack, STACKS, modelOf } from "../support/stack";

describe.each(STACKS)("the %s stack's jobspecs", (stack) => {
  const jobs = renderJobs(modelOf(loadStack(stack), stack));

  it.each(jobs.map((job) => [job.name, job.hcl]))(
    "%s declares every port its services and listeners use, writes templates only under local/, secrets/ or alloc/, and mounts only declared volumes",
    async (_name, hcl) => {
      expect(await jobspecProblems(hcl)).toEqual([]);
    },
  );
});

describe("the jobspec rules catch what they state", () => {
  const [fabio, , prometheus] = renderJobs(modelOf(loadStack("prod"), "prod"));

  it.each([
    [
      "a service on an undeclared port",
      fabio!.hcl.replace('port = "ui"', 'port = "admin"'),
      'port "admin" is not declared',
    ],
    [
      "a listener on an undeclared port label",
      prometheus!.hcl.replace("${NOMAD_ADDR_http}", "${NOMAD_ADDR_web}"),
      'uses the port label "web"',
    ],
    [
      "a template outside the task's directories",
      fabio!.hcl.replace('destination = "local/fabio.properties"', 'destination = "/etc/fabio.properties"'),
      'template destination "/etc/fabio.properties" is outside',
    ],
    [
      "a template that climbs out of local/",
      fabio!.hcl.replace('destination = "local/fabio.properties"', 'destination = "local/../../etc/x"'),
      'template destination "local/../../etc/x" is outside',
    ],
    [
      "a mount of an undeclared volume",
      prometheus!.hcl.replace('volume      = "prometheus-data"', 'volume      = "tsdb"'),
      'mounts volume "tsdb"',
    ],
    [
      "a check without a valid interval",
      fabio!.hcl.replace('interval = "10s"', 'interval = "often"'),
      'interval "often" is not a duration',
    ],
    ["a non-positive memory reservation", fabio!.hcl.replace(/memory = \d+/, "memory = 0"), "resources.memory 0"],
  ])("reports %s", async (_what, broken, message) => {
    expect(broken).not.toBe(fabio!.hcl);
    expect(broken).not.toBe(prometheus!.hcl);
    expect((await jobspecProblems(broken)).join("\n")).toContain(message);
  });
});
