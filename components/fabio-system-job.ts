// One Fabio as a Nomad system job on every NameServer host.
import * as pulumi from "@pulumi/pulumi";
import { registerJob } from "./nomad-job";
import type { FabioRole, StackConfig } from "../config";
import { renderFabioJob } from "../render";

export interface FabioSystemJobArgs {
  /** The validated stack config; the Fabio's ports, prefix and resources come from `fabio.<role>`. */
  stackConfig: StackConfig;
  /** Which of the two Fabios this is: `nameServerIndex` (RocketMQ lookups) or `prometheus`. */
  role: FabioRole;
  /** Stack name, recorded in the jobspec's header comment. */
  stackName: string;
  /** Resources the Nomad job must wait for, e.g. the Nomad Variable holding its Consul token. */
  waitFor?: pulumi.Resource[];
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
    const instance = args.stackConfig.fabio[args.role];
    const rendered = renderFabioJob(args.stackConfig, args.role, args.stackName);

    const job = registerJob(name, rendered, this, args.waitFor);

    this.jobName = job.name;
    this.jobId = job.id;
    this.jobspec = rendered.hcl;
    this.proxyPort = instance.proxyPort;
    this.uiPort = instance.uiPort;
    this.tagPrefix = instance.tagPrefix;
    this.registerOutputs({
      jobName: this.jobName,
      jobId: this.jobId,
      proxyPort: this.proxyPort,
      uiPort: this.uiPort,
      tagPrefix: this.tagPrefix,
    });
  }
}
