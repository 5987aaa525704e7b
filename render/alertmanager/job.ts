// The Alertmanager service jobspec, rendered when a stack deploys its own (`prometheus.alerting.delivery: deployed`).
import { alertSecretReferences, stackFileName, type DeployedAlerting, type StackConfig } from "../../config";
import { clusterTag } from "../cluster-scope";
import { hclHeredoc, hclString, hclStringList, hclStringListItems } from "../hcl";
import { prometheusConstraint } from "../placement";
import type { RenderedJob } from "../rendered-job";
import { templateDestination } from "../task-paths";
import { renderTemplate } from "../template";
import { ALERTMANAGER_CONFIG_PATH, ALERTMANAGER_SECRETS_DIR, alertmanagerYaml, secretFile } from "./config";

/** The group and the task of the job: one of each, named alike; the secrets' Nomad Variable path names both. */
export const ALERTMANAGER_GROUP = "alertmanager";
export const ALERTMANAGER_TASK = "alertmanager";

/** consul-template delimiters of alertmanager.yml, which the config keeps out of every value (config/alerting-schema.ts). */
export const ALERTMANAGER_CONFIG_DELIMITERS = ["[%", "%]"] as const;

const PEERS_PATH = "/local/peers";
const STORAGE_PATH = "/alloc/data/alertmanager";

/** The Consul service of the gossip port, which instances find their peers by. */
export function alertmanagerPeersService(jobName: string): string {
  return `${jobName}-cluster`;
}

/**
 * The Nomad Variable holding the receivers' secrets: the task's own path, which Nomad lets only this task read
 * (the job-level `nomad/jobs/<job>` is where a Consul token would go).
 */
export function alertSecretsVariablePath(jobName: string): string {
  return `nomad/jobs/${jobName}/${ALERTMANAGER_GROUP}/${ALERTMANAGER_TASK}`;
}

/** The consul-template expression that reads one secret out of that variable. */
export function alertSecretExpression(jobName: string, secret: string): string {
  return `{{ with nomadVar "${alertSecretsVariablePath(jobName)}" }}{{ .${secret} }}{{ end }}`;
}

/** One `--cluster.peer=<address>:<port>` line per registered instance, healthy or not. */
export function peersTemplate(jobName: string, tag: string): string {
  const service = `${tag}.${alertmanagerPeersService(jobName)}|any`;
  return `{{ range service "${service}" }}--cluster.peer={{ .Address }}:{{ .Port }}\n{{ end }}`;
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

function secretTemplateBlock(jobName: string, secret: string): string {
  return [
    "",
    "      # Alertmanager reads the file on every notification, so a changed secret needs no restart.",
    "      template {",
    `        destination = ${hclString(templateDestination(secretFile(ALERTMANAGER_SECRETS_DIR, secret)))}`,
    `        change_mode = "noop"`,
    `        data        = ${hclString(alertSecretExpression(jobName, secret))}`,
    "      }",
    "",
  ].join("\n");
}

export function alertmanagerJobView(
  cfg: StackConfig,
  alerting: DeployedAlerting,
  stack: string,
  source?: string,
): AlertmanagerJobView {
  const constraint = prometheusConstraint(cfg);
  const yaml = alertmanagerYaml(alerting);
  if (ALERTMANAGER_CONFIG_DELIMITERS.some((d) => yaml.includes(d))) {
    throw new Error(
      `alertmanager.yml contains a consul-template delimiter (${ALERTMANAGER_CONFIG_DELIMITERS.join(" ")})`,
    );
  }
  const tag = clusterTag(cfg);
  return {
    stackFile: source ?? stackFileName(stack),
    jobName: alerting.jobName,
    groupName: ALERTMANAGER_GROUP,
    taskName: ALERTMANAGER_TASK,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    hasConstraint: constraint !== undefined,
    constraintAttribute: constraint?.attribute ?? "",
    constraintValue: constraint?.value ?? "",
    count: alerting.count,
    serviceTags: hclStringList([tag]),
    peersService: alertmanagerPeersService(alerting.jobName),
    image: alerting.image,
    peersFile: PEERS_PATH,
    args: hclStringListItems(alertmanagerArgs(), " ".repeat(10)),
    configDestination: templateDestination(ALERTMANAGER_CONFIG_PATH),
    configLeftDelimiter: ALERTMANAGER_CONFIG_DELIMITERS[0],
    configRightDelimiter: ALERTMANAGER_CONFIG_DELIMITERS[1],
    alertmanagerYml: hclHeredoc(yaml),
    peersDestination: templateDestination(PEERS_PATH),
    peersTemplate: hclHeredoc(peersTemplate(alerting.jobName, tag)),
    secretTemplates: alertSecretReferences(alerting)
      .map(({ name }) => secretTemplateBlock(alerting.jobName, name))
      .join(""),
    cpu: alerting.resources.cpu,
    memory: alerting.resources.memory,
  };
}

/** The Alertmanager job, or none when the stack does not deploy one. */
export function renderAlertmanagerJob(cfg: StackConfig, stack: string, source?: string): RenderedJob | undefined {
  const alerting = cfg.prometheus.alerting;
  if (alerting.delivery !== "deployed") return undefined;
  const hcl = renderTemplate("alertmanager.nomad.hcl.mustache", alertmanagerJobView(cfg, alerting, stack, source));
  return { name: alerting.jobName, kind: "alertmanager", type: "service", hcl };
}
