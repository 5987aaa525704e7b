// The Prometheus service jobspec: config and rules embedded as template stanzas.
import type { StackConfig } from "../config";
import { stackFileName } from "../config/stack-file";
import { hclHeredoc, hclStringList, hclStringListItems } from "./hcl";
import { prometheusConstraint } from "./placement";
import { prometheusYaml, RULE_FILE } from "./prometheus-config";
import { alertRulesYaml } from "./prometheus-rules";
import type { RenderedJob } from "./rendered-job";
import { renderTemplate } from "./template";

/** Where the task sees its rendered config: the template writes it into the task's secrets/ directory. */
export const PROMETHEUS_CONFIG_PATH = "/secrets/prometheus.yml";

/** consul-template delimiters for the rule file, which never contains them (checked below). */
const RULES_DELIMITERS = ["[%", "%]"] as const;

/** The tag that makes the Prometheus Fabio route `/` to this service. */
export function prometheusRouteTag(cfg: StackConfig): string {
  return `${cfg.fabio.prometheus.tagPrefix}/`;
}

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

/** `source` is the stack file the config was read from, named in the header (default `Pulumi.<stack>.yaml`). */
export function renderPrometheusJob(cfg: StackConfig, stack: string, source?: string): RenderedJob {
  const p = cfg.prometheus;
  const constraint = prometheusConstraint(cfg);
  const rules = alertRulesYaml(cfg);
  if (RULES_DELIMITERS.some((d) => rules.includes(d))) {
    throw new Error(`the alert rules contain a consul-template delimiter (${RULES_DELIMITERS.join(" ")})`);
  }
  const hcl = renderTemplate("prometheus.nomad.hcl.mustache", {
    source: source ?? stackFileName(stack),
    jobName: p.jobName,
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
    serviceTags: hclStringList([prometheusRouteTag(cfg), `cluster-${cfg.clusterName}`]),
    image: p.image,
    args: hclStringListItems(prometheusArgs(cfg), " ".repeat(10)),
    prometheusYml: hclHeredoc(prometheusYaml(cfg)),
    ruleFile: RULE_FILE,
    rulesLeftDelimiter: RULES_DELIMITERS[0],
    rulesRightDelimiter: RULES_DELIMITERS[1],
    rulesYml: hclHeredoc(rules),
    cpu: p.resources.cpu,
    memory: p.resources.memory,
  });
  return { name: p.jobName, kind: "prometheus", type: "service", hcl };
}
