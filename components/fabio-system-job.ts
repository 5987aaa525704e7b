// One Fabio as a Nomad system job on every NameServer host.
import * as pulumi from "@pulumi/pulumi";
import { createNomadJob, requireJob } from "./nomad-job";
import type { FabioRole, StackConfig } from "../config";
import { fabioTagPrefix, renderFabioJob, type RenderedJob } from "../render";

export interface FabioSystemJobArgs {
  /** The Fabio's jobspec (`renderFabioJob`): a Nomad system job. */
  job: RenderedJob;
  /**
   * Static host port of the HTTP proxy (`fabio.<role>.proxyPort`).
   * @default 8080 for the NameServer-index Fabio, 9090 for the Prometheus Fabio
   */
  proxyPort: number;
  /**
   * Static host port of the UI and admin API (`fabio.<role>.uiPort`).
   * @default 9998 for the NameServer-index Fabio, 9999 for the Prometheus Fabio
   */
  uiPort: number;
  /**
   * The Consul tag prefix the Fabio builds its routes from (`fabioTagPrefix`: `<clusterName>.<fabio.<role>.tagPrefix>`).
   * @default "<clusterName>.rmq-nsindex-" for the NameServer-index Fabio, "<clusterName>.rmq-prometheus-" for the Prometheus Fabio
   */
  tagPrefix: string;
  /**
   * Resources the Nomad job must wait for, e.g. the Nomad Variable holding its Consul token.
   * @default [] (nothing, as without Consul ACLs)
   */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** The args of one of the stack's two Fabios, from the validated stack config. */
export function fabioSystemJobArgs(
  cfg: StackConfig,
  role: FabioRole,
  stack: string,
  waitFor?: pulumi.Input<pulumi.Resource>[],
): FabioSystemJobArgs {
  const { proxyPort, uiPort } = cfg.fabio[role];
  return { job: renderFabioJob(cfg, role, stack), proxyPort, uiPort, tagPrefix: fabioTagPrefix(cfg, role), waitFor };
}

export class FabioSystemJob extends pulumi.ComponentResource {
  /** The Nomad job ID. */
  readonly jobName: pulumi.Output<string>;
  /** The Nomad job resource's ID as Nomad reports it. */
  readonly jobId: pulumi.Output<string>;
  /** The jobspec submitted to Nomad, for review. */
  readonly jobspec: string;
  readonly proxyPort: number;
  readonly uiPort: number;
  /** The Consul tag prefix this Fabio builds its routes from. */
  readonly tagPrefix: string;

  constructor(name: string, args: FabioSystemJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:FabioSystemJob", name, {}, opts);
    requireJob(this, args.job, { kind: "fabio", type: "system" });

    const job = createNomadJob(name, this, { job: args.job, waitFor: args.waitFor });

    this.jobName = job.name;
    this.jobId = job.id;
    this.jobspec = args.job.hcl;
    this.proxyPort = args.proxyPort;
    this.uiPort = args.uiPort;
    this.tagPrefix = args.tagPrefix;
    this.registerOutputs({
      jobName: this.jobName,
      jobId: this.jobId,
      proxyPort: this.proxyPort,
      uiPort: this.uiPort,
      tagPrefix: this.tagPrefix,
    });
  }
}
