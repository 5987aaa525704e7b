// Prometheus as a Nomad service job, reached through the Prometheus Fabio.
import * as pulumi from "@pulumi/pulumi";
import { createNomadJob, requireJob } from "./nomad-job";
import type { StackConfig } from "../config";
import { prometheusRouteTag, renderPrometheusJob, type RenderedJob } from "../render";

export interface PrometheusJobArgs {
  /** Prometheus' jobspec (`renderPrometheusJob`): a Nomad service job. */
  job: RenderedJob;
  /**
   * The Consul tag that makes the Prometheus Fabio route `/` here: its tag prefix followed by `/`.
   * @default "rmq-prometheus-/"
   */
  routeTag: string;
  /**
   * Resources the Nomad job must wait for, e.g. the Nomad Variable holding its Consul token.
   * @default [] (nothing, as without Consul ACLs)
   */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** The args of the stack's Prometheus, from the validated stack config. */
export function prometheusJobArgs(
  cfg: StackConfig,
  stack: string,
  waitFor?: pulumi.Input<pulumi.Resource>[],
): PrometheusJobArgs {
  return { job: renderPrometheusJob(cfg, stack), routeTag: prometheusRouteTag(cfg), waitFor };
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
    requireJob(this, args.job, { kind: "prometheus", type: "service" });

    const job = createNomadJob(name, this, { job: args.job, waitFor: args.waitFor });

    this.jobName = job.name;
    this.routeTag = args.routeTag;
    this.jobspec = args.job.hcl;
    this.registerOutputs({ jobName: this.jobName, routeTag: this.routeTag });
  }
}
