// The Prometheus service jobspec: config and rules embedded as template stanzas.
import type { StackConfig } from "../config";
import type { StackModel } from "../model";
import { hclHeredoc, hclStringList, hclStringListItems } from "./hcl";
import { prometheusConstraint } from "./placement";
import { PROMETHEUS_CONFIG_PATH, prometheusYaml, RULE_FILE, RULES_DIR } from "./prometheus-config";
import { alertRulesYaml } from "./prometheus-rules";
import type { RenderedJob } from "./rendered-job";
import { templateDestination } from "./task-paths";
import { renderTemplate } from "./template";
import {
  BLACKBOX_CONFIG_PATH,
  BLACKBOX_PORT_LABEL,
  blackboxYaml,
  LOOKUP_TARGETS_PATH,
  lookupProbeInputs,
  lookupTargetsTemplate,
} from "./lookup-probes";

/** consul-template delimiters for the rule file, which never contains them (checked below). */
const RULES_DELIMITERS = ["[%", "%]"] as const;

export function tsdbPath(cfg: StackConfig): string {
  // The task sees the allocation directory at /alloc; alloc/data is what sticky/migrate carry over.
  return cfg.prometheus.storage.kind === "hostVolume" ? "/prometheus" : "/alloc/data/prometheus";
}

export function prometheusArgs(cfg: StackConfig): string[] {
  const p = cfg.prometheus;
  return [
    `--config.file=${PROMETHEUS_CONFIG_PATH}`,
    `--storage.tsdb.path=${tsdbPath(cfg)}`,
    `--storage.tsdb.retention.time=${p.retentionTime}`,
    ...(p.retentionSize ? [`--storage.tsdb.retention.size=${p.retentionSize}`] : []),
  ];
}

/**
 * What jobspecs/prometheus.nomad.hcl.mustache reads. Plain strings are escaped into HCL strings by the
 * template; the fields documented as HCL are HCL source already and go in as written.
 */
export interface PrometheusJobView {
  /** The stack file the job is rendered from, named in the header comment. */
  stackFile: string;
  /** Nomad job ID, also the Consul service name Prometheus registers under. */
  jobName: string;
  region: string;
  /** HCL list of the datacenters the job may run in. */
  datacenters: string;
  /** Whether a constraint picks the hosts (false: any host). */
  hasConstraint: boolean;
  /** HCL source of the constrained Nomad attribute, e.g. `${node.class}`; empty without a constraint. */
  constraintAttribute: string;
  constraintValue: string;
  /** Whether the TSDB lives on Nomad's sticky, migrating ephemeral disk. */
  ephemeralDisk: boolean;
  /** Its size in MB; 0 when `ephemeralDisk` is false. */
  ephemeralDiskMb: number;
  /** Whether the TSDB lives on a host volume. */
  hostVolume: boolean;
  /** The client's `host_volume` name; empty when `hostVolume` is false. */
  hostVolumeName: string;
  /** Where the task sees its TSDB. */
  tsdbPath: string;
  /** HCL list of the service's tags: the Prometheus Fabio's route tag first. */
  serviceTags: string;
  image: string;
  /** HCL list items of Prometheus' command-line flags, one per line. */
  args: string;
  /** Template destination of prometheus.yml, relative to the task directory. */
  configDestination: string;
  /** HCL heredoc of prometheus.yml. */
  prometheusYml: string;
  /** Template destination of the rule file, relative to the task directory. */
  rulesDestination: string;
  /** consul-template delimiters of the rule file, whose annotations use Prometheus' own `{{ }}`. */
  rulesLeftDelimiter: string;
  rulesRightDelimiter: string;
  /** HCL heredoc of the rule file. */
  rulesYml: string;
  cpu: number;
  memory: number;
  /** Template destination of the NameServer lookup targets (file_sd), relative to the task directory. */
  lookupTargetsDestination: string;
  /** HCL heredoc of the consul-template source of those targets. */
  lookupTargetsTemplate: string;
  /** The group's port label of blackbox_exporter's loopback listener. */
  blackboxPortLabel: string;
  blackboxImage: string;
  /** Where blackbox_exporter reads its modules, as the task sees it. */
  blackboxConfigPath: string;
  /** Template destination of blackbox.yml, relative to the task directory. */
  blackboxConfigDestination: string;
  /** HCL heredoc of blackbox.yml. */
  blackboxYml: string;
  blackboxCpu: number;
  blackboxMemory: number;
}

/** The two files the Prometheus job carries as template data, which the render CLI also writes on their own. */
export interface PrometheusFiles {
  /** prometheus.yml */
  config: string;
  /** The alert rule file. */
  rules: string;
}

export function prometheusFiles(model: StackModel): PrometheusFiles {
  return { config: prometheusYaml(model), rules: alertRulesYaml(model) };
}

export function prometheusJobView(model: StackModel, files = prometheusFiles(model)): PrometheusJobView {
  const cfg = model.config;
  const p = cfg.prometheus;
  const constraint = prometheusConstraint(cfg);
  const rules = files.rules;
  if (RULES_DELIMITERS.some((d) => rules.includes(d))) {
    throw new Error(`the alert rules contain a consul-template delimiter (${RULES_DELIMITERS.join(" ")})`);
  }
  return {
    stackFile: model.source,
    jobName: model.prometheus.name,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    hasConstraint: constraint !== undefined,
    constraintAttribute: constraint?.attribute ?? "",
    constraintValue: constraint?.value ?? "",
    ephemeralDisk: p.storage.kind === "ephemeralDisk",
    ephemeralDiskMb: p.storage.kind === "ephemeralDisk" ? p.storage.sizeMb : 0,
    hostVolume: p.storage.kind === "hostVolume",
    hostVolumeName: p.storage.kind === "hostVolume" ? p.storage.volume : "",
    tsdbPath: tsdbPath(cfg),
    serviceTags: hclStringList([model.prometheus.routeTag, model.clusterTag]),
    image: p.image,
    args: hclStringListItems(prometheusArgs(cfg), " ".repeat(10)),
    configDestination: templateDestination(PROMETHEUS_CONFIG_PATH),
    prometheusYml: hclHeredoc(files.config),
    rulesDestination: templateDestination(`${RULES_DIR}/${RULE_FILE}`),
    rulesLeftDelimiter: RULES_DELIMITERS[0],
    rulesRightDelimiter: RULES_DELIMITERS[1],
    rulesYml: hclHeredoc(rules),
    cpu: p.resources.cpu,
    memory: p.resources.memory,
    lookupTargetsDestination: templateDestination(LOOKUP_TARGETS_PATH),
    lookupTargetsTemplate: hclHeredoc(lookupTargetsTemplate(lookupProbeInputs(model))),
    blackboxPortLabel: BLACKBOX_PORT_LABEL,
    blackboxImage: p.lookupProbes.image,
    blackboxConfigPath: BLACKBOX_CONFIG_PATH,
    blackboxConfigDestination: templateDestination(BLACKBOX_CONFIG_PATH),
    blackboxYml: hclHeredoc(blackboxYaml()),
    blackboxCpu: p.lookupProbes.resources.cpu,
    blackboxMemory: p.lookupProbes.resources.memory,
  };
}

export function renderPrometheusJob(model: StackModel, files = prometheusFiles(model)): RenderedJob {
  const job = model.prometheus;
  const hcl = renderTemplate("prometheus.nomad.hcl.mustache", prometheusJobView(model, files));
  return { name: job.name, kind: job.kind, type: job.type, hcl };
}
