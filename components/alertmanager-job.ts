// A deployed Alertmanager: its receivers' secrets in the task's Nomad Variable, then the Nomad service job.
import * as pulumi from "@pulumi/pulumi";
import * as nomad from "@pulumi/nomad";
import { createNomadJob, requireJob } from "./nomad-job";
import { alertSecretsVariablePath, type RenderedJob } from "../render";

export interface AlertmanagerJobArgs {
  /** Alertmanager's jobspec (`renderAlertmanagerJob`): a Nomad service job. */
  job: RenderedJob;
  /**
   * The receivers' secrets by name (webhook URLs, SMTP passwords), as Pulumi secrets: written to the task's own
   * Nomad Variable (`alertSecretsVariablePath`), which the job's templates read.
   * @default {} (no receiver needs a secret)
   */
  secrets?: Record<string, pulumi.Output<string>>;
  /**
   * Further resources the Nomad job must wait for.
   * @default []
   */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** The children of an AlertmanagerJob: the secrets' Nomad Variable (when any secret is named) and the job. */
export function createAlertmanagerChildren(
  name: string,
  parent: pulumi.Resource,
  args: AlertmanagerJobArgs,
): { variable?: nomad.Variable; job: nomad.Job } {
  const secrets = args.secrets ?? {};
  const variable =
    Object.keys(secrets).length === 0
      ? undefined
      : new nomad.Variable(
          `${name}-secrets`,
          {
            path: alertSecretsVariablePath(args.job.name),
            // pulumi.secret keeps them encrypted in state and out of logs and outputs.
            items: pulumi.secret(pulumi.all(secrets)),
          },
          { parent },
        );
  const job = createNomadJob(name, parent, {
    job: args.job,
    waitFor: [...(variable ? [variable] : []), ...(args.waitFor ?? [])],
  });
  return { variable, job };
}

export class AlertmanagerJob extends pulumi.ComponentResource {
  /** The Nomad job ID, also the Consul service Prometheus sends alerts to. */
  readonly jobName: pulumi.Output<string>;

  constructor(name: string, args: AlertmanagerJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:AlertmanagerJob", name, {}, opts);
    requireJob(this, args.job, { kind: "alertmanager", type: "service" });
    const { job } = createAlertmanagerChildren(name, this, args);
    this.jobName = job.name;
    this.registerOutputs({ jobName: this.jobName });
  }
}
