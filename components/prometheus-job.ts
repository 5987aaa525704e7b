// Prometheus as a Nomad service job, reached through the Prometheus Fabio.
import * as pulumi from "@pulumi/pulumi";
import type * as nomad from "@pulumi/nomad";
import type { StackModel } from "../model";
import { renderPrometheusJob } from "../render";
import { createNomadJob } from "./nomad-job";

export interface PrometheusJobArgs {
  /** The resolved stack (`resolveStack`): Prometheus' jobspec, config and rules are rendered from it. */
  model: StackModel;
  /**
   * Resources the Nomad job must wait for, e.g. the Nomad Variable holding its Consul token.
   * @default [] (nothing, as without Consul ACLs)
   */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

export class PrometheusJob extends pulumi.ComponentResource {
  /** The Nomad service job. */
  readonly job: nomad.Job;

  constructor(name: string, args: PrometheusJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:PrometheusJob", name, {}, opts);
    this.job = createNomadJob(name, this, { job: renderPrometheusJob(args.model), waitFor: args.waitFor });
    this.registerOutputs({ jobName: this.job.name, routeTag: args.model.prometheus.routeTag });
  }
}
