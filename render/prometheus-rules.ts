// Alert rules as typed objects, serialized to the rule file Prometheus loads through rule_files.
import { stringify } from "yaml";
import type { StackConfig } from "../config";
import { fabioMetricsService } from "./fabio-properties";
import { SCRAPE_JOBS } from "./prometheus-config";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string };
}

export interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}

/**
 * A server that leaves Consul (agent stopped, node gone) takes its target with it, so `up == 0` never
 * sees it: these compare the servers that are up with the number the cluster was built for.
 */
function serversMissing(product: "Nomad" | "Consul", job: string, expected: number): AlertRule {
  return {
    alert: `${product}ServersMissing`,
    expr: `(count(up{job="${job}"} == 1) or vector(0)) < ${expected}`,
    for: "2m",
    labels: { severity: "critical" },
    annotations: {
      summary: `Fewer than ${expected} ${product} servers are up`,
      description: `Only {{ $value }} of the ${expected} ${product} servers (bootstrap_expect) are discovered and up.`,
    },
  };
}

/**
 * A system job on every NameServer host. When one of the two Fabio jobs is stopped everywhere its targets
 * leave discovery (FabioDown never sees them) while the other Fabio stays up, so each is watched alone.
 */
export function fabioMissingRules(cfg: StackConfig): AlertRule[] {
  const roles = [
    { alert: "NameServerIndexFabioMissing", role: "nameServerIndex", impact: "RocketMQ NameServer lookups fail" },
    { alert: "PrometheusFabioMissing", role: "prometheus", impact: "Prometheus is unreachable through its Fabio" },
  ] as const;
  return roles.map(({ alert, role, impact }) => {
    const service = fabioMetricsService(cfg.fabio[role]);
    return {
      alert,
      expr: `absent(up{job="${SCRAPE_JOBS.fabio}",service="${service}"} == 1)`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: `No ${cfg.fabio[role].jobName} Fabio is up`,
        description: `No ${service} target has been discovered and up for 2 minutes: ${impact} on every host.`,
      },
    };
  });
}

export function alertRules(cfg: StackConfig): RuleFile {
  const up = (job: string): string => `up{job="${job}"} == 0`;
  return {
    groups: [
      {
        name: "rocketmq-system",
        rules: [
          {
            alert: "NomadServerDown",
            expr: up(SCRAPE_JOBS.nomadServers),
            for: "1m",
            labels: { severity: "critical" },
            annotations: {
              summary: "Nomad server {{ $labels.instance }} is down",
              description: "Prometheus could not scrape the Nomad server {{ $labels.instance }} for 1 minute.",
            },
          },
          serversMissing("Nomad", SCRAPE_JOBS.nomadServers, cfg.images.nomadServer.bootstrapExpect),
          {
            alert: "ConsulServerDown",
            expr: up(SCRAPE_JOBS.consulServers),
            for: "1m",
            labels: { severity: "critical" },
            annotations: {
              summary: "Consul server {{ $labels.instance }} is down",
              description: "Prometheus could not scrape the Consul server {{ $labels.instance }} for 1 minute.",
            },
          },
          serversMissing("Consul", SCRAPE_JOBS.consulServers, cfg.images.consulServer.bootstrapExpect),
          {
            // Consul 1.8 publishes autopilot health from the leader only: no series means no leader.
            alert: "ConsulNoLeader",
            expr: `absent(consul_autopilot_healthy{job="${SCRAPE_JOBS.consulServers}"})`,
            for: "1m",
            labels: { severity: "critical" },
            annotations: {
              summary: `Consul cluster ${cfg.clusterName} has no leader`,
              description: "No Consul server has reported autopilot health for 1 minute: the cluster has no leader.",
            },
          },
          {
            alert: "FabioDown",
            expr: up(SCRAPE_JOBS.fabio),
            for: "1m",
            labels: { severity: "critical" },
            annotations: {
              summary: "Fabio {{ $labels.instance }} is down",
              description:
                "Fabio {{ $labels.instance }} has not answered for 1 minute: RocketMQ NameServer lookups or Prometheus routing on that host fail.",
            },
          },
          ...fabioMissingRules(cfg),
          {
            alert: "TargetDown",
            expr: "up == 0",
            for: cfg.prometheus.targetDownFor,
            labels: { severity: "warning" },
            annotations: {
              summary: "Scrape target {{ $labels.instance }} of job {{ $labels.job }} is down",
              description: `{{ $labels.job }} target {{ $labels.instance }} has been down for ${cfg.prometheus.targetDownFor}.`,
            },
          },
        ],
      },
    ],
  };
}

export function alertRulesYaml(cfg: StackConfig): string {
  return stringify(alertRules(cfg), { lineWidth: 0, aliasDuplicateObjects: false });
}
