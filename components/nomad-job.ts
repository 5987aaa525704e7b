// How every rendered jobspec is handed to Nomad.
import * as pulumi from "@pulumi/pulumi";
import * as nomad from "@pulumi/nomad";
import type { RenderedJob } from "../render";

export interface NomadJobArgs {
  /** The rendered jobspec and its job type. */
  job: RenderedJob;
  /**
   * Resources Nomad must have before the job is submitted, e.g. the Nomad Variable holding its Consul token.
   * @default [] (nothing to wait for, as without Consul ACLs)
   */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Registers a rendered job as a child of `parent`. A service job's deployment is health-gated and waited
 * on, so `pulumi up` fails when it does not come up (and Nomad reverts it: auto_revert); a system job has
 * no deployment to wait for.
 */
export function createNomadJob(name: string, parent: pulumi.Resource, args: NomadJobArgs): nomad.Job {
  return new nomad.Job(
    name,
    {
      jobspec: args.job.hcl,
      // The provider parses HCL2 itself; the jobspec never reads local files.
      hcl2: { allowFs: false },
      detach: args.job.type === "system",
      purgeOnDestroy: false,
      deregisterOnDestroy: true,
    },
    // A component's dependsOn does not reach its children, so the job itself waits.
    { parent, dependsOn: args.waitFor ?? [] },
  );
}
