// A deployed Alertmanager: its receivers' secrets in the task's Nomad Variable, then the Nomad service job.
import * as pulumi from "@pulumi/pulumi";
import * as nomad from "@pulumi/nomad";
import type { AlertmanagerJobModel, StackModel } from "../model";
import { renderAlertmanagerJob } from "../render";
import { createNomadJob } from "./nomad-job";

export interface AlertmanagerJobArgs {
  /** The resolved stack (`resolveStack`). */
  model: StackModel;
  /** The stack's Alertmanager (`model.alertmanager`, set when `prometheus.alerting.delivery` is `deployed`). */
  alertmanager: AlertmanagerJobModel;
  /**
   * The receivers' secrets by name (webhook URLs, SMTP passwords), as Pulumi secrets: written to the task's own
   * Nomad Variable (`alertmanager.secretsVariablePath`), which the job's templates read.
   * @default {} (no receiver needs a secret)
   */
  secrets?: Record<string, pulumi.Output<string>>;
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
            path: args.alertmanager.secretsVariablePath,
            // pulumi.secret keeps them encrypted in state and out of logs and outputs.
            items: pulumi.secret(pulumi.all(secrets)),
          },
          { parent },
        );
  const job = createNomadJob(name, parent, {
    job: renderAlertmanagerJob(args.model, args.alertmanager),
    waitFor: variable ? [variable] : [],
  });
  return { variable, job };
}

export class AlertmanagerJob extends pulumi.ComponentResource {
  /** The Nomad service job. */
  readonly job: nomad.Job;

  constructor(name: string, args: AlertmanagerJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:AlertmanagerJob", name, {}, opts);
    this.job = createAlertmanagerChildren(name, this, args).job;
    this.registerOutputs({ jobName: this.job.name });
  }
}
