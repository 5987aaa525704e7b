// The Alertmanager service jobspec, rendered when a stack deploys its own (`prometheus.alerting.delivery: deployed`).
import { alertSecretReferences } from "../../config";
import { ALERTMANAGER_TASK, type AlertmanagerJobModel, type StackModel } from "../../model";
import { SERVICE_INSTANCE_HOST_PORT } from "../consul-template";
import { hclHeredoc, hclString, hclStringList, hclStringListItems } from "../hcl";
import { prometheusConstraint } from "../placement";
import type { RenderedJob } from "../rendered-job";
import { templateDestination } from "../task-paths";
import { renderTemplate } from "../template";
import { ALERTMANAGER_CONFIG_PATH, ALERTMANAGER_SECRETS_DIR, alertmanagerYaml, secretFile } from "./config";

/** consul-template delimiters of alertmanager.yml, which the config keeps out of every value (config/alerting-schema.ts). */
export const ALERTMANAGER_CONFIG_DELIMITERS = ["[%", "%]"] as const;

/** Where the peers template writes the --cluster.peer flags the task's entrypoint reads. */
export const ALERTMANAGER_PEERS_PATH = "/local/peers";
const STORAGE_PATH = "/alloc/data/alertmanager";

/** The consul-template expression that reads one secret out of the task's own Nomad Variable. */
export function alertSecretExpression(job: AlertmanagerJobModel, secret: string): string {
  return `{{ with nomadVar "${job.secretsVariablePath}" }}{{ .${secret} }}{{ end }}`;
}

/** One `--cluster.peer=<address>:<port>` line per registered instance of the peers service, healthy or not. */
export function peersTemplate(job: AlertmanagerJobModel, tag: string): string {
  return `{{ range service "${tag}.${job.peersService}|any" }}${SERVICE_INSTANCE_HOST_PORT}--cluster.peer={{ $host }}:{{ .Port }}\n{{ end }}`;
}

/** The task's flags besides the addresses Nomad fills in. */
export function alertmanagerArgs(): string[] {
  return [`--config.file=${ALERTMANAGER_CONFIG_PATH}`, `--storage.path=${STORAGE_PATH}`];
}

/** What jobspecs/alertmanager.nomad.hcl.mustache reads; fields documented as HCL go in as written. */
export interface AlertmanagerJobView {
  stackFile: string;
  jobName: string;
  groupName: string;
  taskName: string;
  region: string;
  /** HCL list of the datacenters. */
  datacenters: string;
  hasConstraint: boolean;
  /** HCL source of the constrained Nomad attribute (Prometheus' placement). */
  constraintAttribute: string;
  constraintValue: string;
  count: number;
  /** HCL list of the services' tags. */
  serviceTags: string;
  peersService: string;
  image: string;
  peersFile: string;
  /** HCL list items of the flags, one per line. */
  args: string;
  configDestination: string;
  configLeftDelimiter: string;
  configRightDelimiter: string;
  /** HCL heredoc of alertmanager.yml. */
  alertmanagerYml: string;
  peersDestination: string;
  /** HCL heredoc of the peers template. */
  peersTemplate: string;
  /** HCL `template` blocks, one per secret, each writing one file under secrets/. */
  secretTemplates: string;
  cpu: number;
  memory: number;
}

function secretTemplateBlock(job: AlertmanagerJobModel, secret: string): string {
  return [
    "",
    "      # Alertmanager reads the file on every notification, so a changed secret needs no restart.",
    "      template {",
    `        destination = ${hclString(templateDestination(secretFile(ALERTMANAGER_SECRETS_DIR, secret)))}`,
    `        change_mode = "noop"`,
    `        data        = ${hclString(alertSecretExpression(job, secret))}`,
    "      }",
    "",
  ].join("\n");
}

export function alertmanagerJobView(model: StackModel, job: AlertmanagerJobModel): AlertmanagerJobView {
  const cfg = model.config;
  const alerting = job.alerting;
  const constraint = prometheusConstraint(cfg);
  const yaml = alertmanagerYaml(alerting);
  if (ALERTMANAGER_CONFIG_DELIMITERS.some((d) => yaml.includes(d))) {
    throw new Error(
      `alertmanager.yml contains a consul-template delimiter (${ALERTMANAGER_CONFIG_DELIMITERS.join(" ")})`,
    );
  }
  const tag = model.clusterTag;
  return {
    stackFile: model.source,
    jobName: job.name,
    groupName: ALERTMANAGER_TASK,
    taskName: ALERTMANAGER_TASK,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    hasConstraint: constraint !== undefined,
    constraintAttribute: constraint?.attribute ?? "",
    constraintValue: constraint?.value ?? "",
    count: alerting.count,
    serviceTags: hclStringList([tag]),
    peersService: job.peersService,
    image: alerting.image,
    peersFile: ALERTMANAGER_PEERS_PATH,
    args: hclStringListItems(alertmanagerArgs(), " ".repeat(10)),
    configDestination: templateDestination(ALERTMANAGER_CONFIG_PATH),
    configLeftDelimiter: ALERTMANAGER_CONFIG_DELIMITERS[0],
    configRightDelimiter: ALERTMANAGER_CONFIG_DELIMITERS[1],
    alertmanagerYml: hclHeredoc(yaml),
    peersDestination: templateDestination(ALERTMANAGER_PEERS_PATH),
    peersTemplate: hclHeredoc(peersTemplate(job, tag)),
    secretTemplates: alertSecretReferences(alerting)
      .map(({ name }) => secretTemplateBlock(job, name))
      .join(""),
    cpu: alerting.resources.cpu,
    memory: alerting.resources.memory,
  };
}

export function renderAlertmanagerJob(model: StackModel, job: AlertmanagerJobModel): RenderedJob {
  const hcl = renderTemplate("alertmanager.nomad.hcl.mustache", alertmanagerJobView(model, job));
  return { name: job.name, kind: "alertmanager", type: "service", hcl };
}
