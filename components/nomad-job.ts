// How every rendered jobspec is handed to Nomad.
import * as pulumi from "@pulumi/pulumi";
import * as nomad from "@pulumi/nomad";
import type { RenderedJob } from "../render";

/**
 * Registers a rendered job as a child of `parent`. A service job's deployment is health-gated and waited
 * on, so `pulumi up` fails when it does not come up (and Nomad reverts it: auto_revert); a system job has
 * no deployment to wait for.
 */
export function registerJob(
  name: string,
  job: RenderedJob,
  parent: pulumi.Resource,
  waitFor: pulumi.Resource[] = [],
): nomad.Job {
  return new nomad.Job(
    name,
    {
      jobspec: job.hcl,
      // The provider parses HCL2 itself; the jobspec never reads local files.
      hcl2: { allowFs: false },
      detach: job.type === "system",
      purgeOnDestroy: false,
      deregisterOnDestroy: true,
    },
    // A component's dependsOn does not reach its children, so the job itself waits.
    { parent, dependsOn: waitFor },
  );
}
