// Prometheus as a Nomad service job, reached through the Prometheus Fabio.
import * as pulumi from "@pulumi/pulumi";
import { registerJob } from "./nomad-job";
import type { StackConfig } from "../config";
import { prometheusRouteTag, renderPrometheusJob } from "../render";

export interface PrometheusJobArgs {
  /** The validated stack config; Prometheus settings come from `prometheus`, its route from `fabio.prometheus`. */
  stackConfig: StackConfig;
  /** Stack name, recorded in the jobspec's header comment. */
  stackName: string;
  /** Resources the Nomad job must wait for, e.g. the Nomad Variable holding its Consul token. */
  waitFor?: pulumi.Resource[];
}

export class PrometheusJob extends pulumi.ComponentResource {
  /** The Nomad job ID, also its Consul service name. */
  readonly jobName: pulumi.Output<string>;
  /** The Consul tag that makes the Prometheus Fabio route `/` here (derived from its tag prefix). */
  readonly routeTag: string;
  /** The jobspec submitted to Nomad, for review. */
  readonly jobspec: string;

  constructor(name: string, args: PrometheusJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:PrometheusJob", name, {}, opts);
    const rendered = renderPrometheusJob(args.stackConfig, args.stackName);

    const job = registerJob(name, rendered, this, args.waitFor);

    this.jobName = job.name;
    this.routeTag = prometheusRouteTag(args.stackConfig);
    this.jobspec = rendered.hcl;
    this.registerOutputs({ jobName: this.jobName, routeTag: this.routeTag });
  }
}
