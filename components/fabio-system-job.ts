// One Fabio as a Nomad system job on every NameServer host.
import * as pulumi from "@pulumi/pulumi";
import type * as nomad from "@pulumi/nomad";
import type { FabioRole } from "../config";
import type { FabioJobModel, StackModel } from "../model";
import { renderFabioJob } from "../render";
import { createNomadJob } from "./nomad-job";

export interface FabioSystemJobArgs {
  /** The resolved stack (`resolveStack`): the Fabio's jobspec is rendered from it. */
  model: StackModel;
  /** Which of the stack's Fabios (`FABIO_ROLES`): `nameServerIndex` or `prometheus`. */
  role: FabioRole;
  /**
   * Resources the Nomad job must wait for, e.g. the Nomad Variable holding its Consul token.
   * @default [] (nothing, as without Consul ACLs)
   */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** Both Fabios: one shape, told apart by their role's model. */
export class FabioSystemJob extends pulumi.ComponentResource {
  /** The Fabio's part of the stack model: job name, ports, tag prefix, KV prefix. */
  readonly fabio: FabioJobModel;
  /** The Nomad system job. */
  readonly job: nomad.Job;

  constructor(name: string, args: FabioSystemJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:FabioSystemJob", name, {}, opts);
    this.fabio = args.model.fabios[args.role];
    this.job = createNomadJob(name, this, { job: renderFabioJob(args.model, args.role), waitFor: args.waitFor });
    this.registerOutputs({ jobName: this.job.name, tagPrefix: this.fabio.tagPrefix });
  }
}
