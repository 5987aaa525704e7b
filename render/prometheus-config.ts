// prometheus.yml as a typed object, serialized with a YAML library: exactly what consul-template sees.
import { stringify } from "yaml";
import type { StackModel } from "../model";
import { tokenTemplateExpression } from "./nomad-variables";
import { LOOKUP_SCRAPE_JOBS, lookupProbeInputs, lookupScrapeConfigs } from "./lookup-probes";
import { regexQuote } from "./regex";

export interface ConsulSdConfig {
  server: string;
  /** Unset: every service (narrowed by `tags`). */
  services?: readonly string[];
  /** Only instances carrying every one of these tags. */
  tags?: string[];
  /** How often a watched service is asked again (Prometheus' default: 30s). */
  refresh_interval?: string;
  token?: string;
}

export interface RelabelConfig {
  source_labels?: string[];
  regex?: string;
  action?: "keep" | "drop" | "replace";
  target_label?: string;
  replacement?: string;
}

export interface FileSdConfig {
  files: string[];
  /** Prometheus also watches the files; this is the fallback re-read. */
  refresh_interval?: string;
}

export interface ScrapeConfig {
  job_name: string;
  metrics_path: string;
  /** Sent as `Authorization: Bearer`, which Consul accepts as its ACL token. */
  bearer_token?: string;
  params?: Record<string, string[]>;
  consul_sd_configs?: ConsulSdConfig[];
  file_sd_configs?: FileSdConfig[];
  relabel_configs: RelabelConfig[];
}

export interface PrometheusYaml {
  global: { scrape_interval: string; evaluation_interval: string; external_labels: { cluster: string } };
  alerting?: { alertmanagers: { consul_sd_configs: ConsulSdConfig[] }[] };
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

/**
 * Where Prometheus finds its config and its rule files, as the task sees them: the job's templates write them
 * there (secrets/ for the config, which can hold a token; `nomad alloc fs` cannot read secrets/).
 */
export const PROMETHEUS_CONFIG_PATH = "/secrets/prometheus.yml";
export const RULES_DIR = "/local/rules";
export const RULE_FILE = "rocketmq-system.rules.yml";

/**
 * consul_sd talks to the Consul agent on the node the task landed on. Prometheus runs with host
 * networking, so that agent is at consul.address, exactly where Fabio finds it.
 */
export function consulSdServer(model: StackModel): string {
  return model.config.consul.address;
}

/** Scrape job names, also used by the alert rules. */
export const SCRAPE_JOBS = {
  nomadServers: "nomad-servers",
  nomadClients: "nomad-clients",
  consulServers: "consul-servers",
  fabio: "fabio",
  prometheus: "prometheus",
  ...LOOKUP_SCRAPE_JOBS,
} as const;

/** Fabio's metrics listener answers on any path; this is the conventional one. */
export const FABIO_METRICS_PATH = "/metrics";

/** The regex Prometheus matches against `__meta_consul_tags` (",tag1,tag2,") to keep one tag. */
export function tagRegex(tag: string): string {
  return `.*,${regexQuote(tag)},.*`;
}

export function prometheusConfig(model: StackModel): PrometheusYaml {
  const cfg = model.config;
  const server = consulSdServer(model);
  const token = cfg.consul.acl.enabled ? tokenTemplateExpression(model.prometheus) : undefined;
  const clusterLabel: RelabelConfig = { target_label: "cluster", replacement: cfg.clusterName };
  const keepTag = (tag: string): RelabelConfig => ({
    source_labels: ["__meta_consul_tags"],
    regex: tagRegex(tag),
    action: "keep",
  });
  const job = (
    name: string,
    services: readonly string[],
    metricsPath: string,
    relabel: RelabelConfig[],
    { prometheusFormat = false, consulAuth = false, tag = model.clusterTag } = {},
  ): ScrapeConfig => ({
    job_name: name,
    metrics_path: metricsPath,
    ...(prometheusFormat ? { params: { format: ["prometheus"] } } : {}),
    ...(consulAuth && token ? { bearer_token: token } : {}),
    // Only this stack's instances: another stack on the same Consul registers the same service names.
    consul_sd_configs: [{ server, services, tags: [tag], ...(token ? { token } : {}) }],
    relabel_configs: [...relabel, clusterLabel],
  });

  const services = model.discovered;
  return {
    global: {
      scrape_interval: cfg.prometheus.scrapeInterval,
      evaluation_interval: cfg.prometheus.evaluationInterval,
      // Added to every alert sent: an aggregated one (count, absent) keeps no target's cluster label.
      external_labels: { cluster: cfg.clusterName },
    },
    ...(services.alertmanagers.length > 0
      ? {
          alerting: {
            alertmanagers: [
              {
                // Only this stack's Alertmanagers, like every scrape job: another stack may share the Consul.
                consul_sd_configs: [
                  { server, services: services.alertmanagers, tags: [model.clusterTag], ...(token ? { token } : {}) },
                ],
              },
            ],
          },
        }
      : {}),
    rule_files: [`${RULES_DIR}/*.yml`],
    scrape_configs: [
      // Nomad registers its HTTP, RPC and Serf endpoints as one service with different tags.
      job(SCRAPE_JOBS.nomadServers, services.nomadServers, "/v1/metrics", [keepTag("http")], {
        prometheusFormat: true,
      }),
      job(SCRAPE_JOBS.nomadClients, services.nomadClients, "/v1/metrics", [keepTag("http")], {
        prometheusFormat: true,
      }),
      job(SCRAPE_JOBS.consulServers, services.consulServers, "/v1/agent/metrics", [], {
        prometheusFormat: true,
        consulAuth: true,
        tag: model.consulServerTag,
      }),
      job(
        SCRAPE_JOBS.fabio,
        services.fabios,
        FABIO_METRICS_PATH,
        // Which of the two Fabios a target is: the alerts watch each one separately. The host joins a
        // Fabio to the lookups probed through it.
        [
          { source_labels: ["__meta_consul_service"], target_label: "service" },
          { source_labels: ["__meta_consul_node"], target_label: "host" },
        ],
      ),
      job(SCRAPE_JOBS.prometheus, services.prometheus, "/metrics", []),
      ...lookupScrapeConfigs(lookupProbeInputs(model), { server, token, clusterLabel }),
    ],
  };
}

export function prometheusYaml(model: StackModel): string {
  return stringify(prometheusConfig(model), { lineWidth: 0, aliasDuplicateObjects: false });
}
