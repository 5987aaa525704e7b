// `promtool test rules` cases for the alert rules: synthetic series in, expected alerts out.
import { stringify } from "yaml";
import type { StackConfig } from "../config";
import { RULE_FILE, SCRAPE_JOBS } from "./prometheus-config";
import { fabioMetricsService } from "./fabio-properties";

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}

interface RuleTestCase {
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: AlertTest[];
}

export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: RuleTestCase[];
}

export const RULE_TEST_FILE = RULE_FILE.replace(/\.yml$/, ".test.yml");

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration such as `1m30s`. */
export function durationSeconds(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

/** `values` notation: `n` samples of `value`, one per interval. */
const repeat = (value: string, n: number): string => Array.from({ length: n }, () => value).join(" ");

/**
 * One case per "target down" alert: the target is up for 2 minutes, down for `downMinutes`, then up
 * again. The alert must be silent while up, pending (silent) before its `for:` has passed, firing after
 * it, and resolved once the target is back.
 */
function downCase(
  alert: string,
  job: string,
  forMinutes: number,
  severity: string,
  clusterName: string,
  annotations: (instance: string) => Record<string, string>,
): RuleTestCase {
  const downMinutes = forMinutes + 3;
  const labels = { job, instance: "10.0.0.1:1234", cluster: clusterName };
  const series = `up{job="${job}",instance="${labels.instance}",cluster="${clusterName}"}`;
  const firing: ExpectedAlert[] = [
    { exp_labels: { ...labels, severity }, exp_annotations: annotations(labels.instance) },
  ];
  const downAt = 2;
  const upAgainAt = downAt + downMinutes;
  return {
    interval: "1m",
    input_series: [{ series, values: `${repeat("1", downAt)} ${repeat("0", downMinutes)} ${repeat("1", 5)}` }],
    alert_rule_test: [
      { eval_time: "1m", alertname: alert, exp_alerts: [] },
      { eval_time: `${downAt + forMinutes - 1}m`, alertname: alert, exp_alerts: [] },
      { eval_time: `${downAt + forMinutes + 1}m`, alertname: alert, exp_alerts: firing },
      { eval_time: `${upAgainAt + 1}m`, alertname: alert, exp_alerts: [] },
    ],
  };
}

/**
 * `expected` targets of `job` are up; one stops being discovered at minute 3 (no samples: Prometheus still
 * sees its last one for its 5 minute lookback) and is back at minute 15. The alert must stay silent while
 * all are there, fire once the gap outlasts lookback plus `for: 2m`, and resolve when the target is back.
 */
function missingCase(
  alert: string,
  job: string,
  expected: number,
  cluster: string,
  annotations: (remaining: number) => Record<string, string>,
  { labels = "", bystanders = [] }: { labels?: string; bystanders?: string[] } = {},
): RuleTestCase {
  const series = (i: number) => `up{job="${job}",instance="10.0.1.${i}:1234",cluster="${cluster}"${labels}}`;
  const stays = [
    ...Array.from({ length: expected - 1 }, (_, i) => ({ series: series(i + 1), values: repeat("1", 20) })),
    // Targets of the same job that must not hide the missing one.
    ...bystanders.map((bystander) => ({ series: bystander, values: repeat("1", 20) })),
  ];
  const leaves = { series: series(expected), values: `${repeat("1", 3)} ${repeat("_", 12)} ${repeat("1", 5)}` };
  return {
    interval: "1m",
    input_series: [...stays, leaves],
    alert_rule_test: [
      { eval_time: "2m", alertname: alert, exp_alerts: [] },
      { eval_time: "7m", alertname: alert, exp_alerts: [] },
      {
        eval_time: "12m",
        alertname: alert,
        exp_alerts: [{ exp_labels: { severity: "critical" }, exp_annotations: annotations(expected - 1) }],
      },
      { eval_time: "17m", alertname: alert, exp_alerts: [] },
    ],
  };
}

export function alertRuleTests(cfg: StackConfig): RuleTestFile {
  const cluster = cfg.clusterName;
  const targetDownMinutes = Math.ceil(durationSeconds(cfg.prometheus.targetDownFor) / 60);
  const autopilot = `consul_autopilot_healthy{job="${SCRAPE_JOBS.consulServers}",instance="10.0.0.5:8500",cluster="${cluster}"}`;
  return {
    rule_files: [RULE_FILE],
    evaluation_interval: "1m",
    tests: [
      downCase("NomadServerDown", SCRAPE_JOBS.nomadServers, 1, "critical", cluster, (instance) => ({
        summary: `Nomad server ${instance} is down`,
        description: `Prometheus could not scrape the Nomad server ${instance} for 1 minute.`,
      })),
      downCase("ConsulServerDown", SCRAPE_JOBS.consulServers, 1, "critical", cluster, (instance) => ({
        summary: `Consul server ${instance} is down`,
        description: `Prometheus could not scrape the Consul server ${instance} for 1 minute.`,
      })),
      downCase("FabioDown", SCRAPE_JOBS.fabio, 1, "critical", cluster, (instance) => ({
        summary: `Fabio ${instance} is down`,
        description: `Fabio ${instance} has not answered for 1 minute: RocketMQ NameServer lookups or Prometheus routing on that host fail.`,
      })),
      missingCase(
        "NomadServersMissing",
        SCRAPE_JOBS.nomadServers,
        cfg.images.nomadServer.bootstrapExpect,
        cluster,
        (n) => ({
          summary: `Fewer than ${cfg.images.nomadServer.bootstrapExpect} Nomad servers are up`,
          description: `Only ${n} of the ${cfg.images.nomadServer.bootstrapExpect} Nomad servers (bootstrap_expect) are discovered and up.`,
        }),
      ),
      missingCase(
        "ConsulServersMissing",
        SCRAPE_JOBS.consulServers,
        cfg.images.consulServer.bootstrapExpect,
        cluster,
        (n) => ({
          summary: `Fewer than ${cfg.images.consulServer.bootstrapExpect} Consul servers are up`,
          description: `Only ${n} of the ${cfg.images.consulServer.bootstrapExpect} Consul servers (bootstrap_expect) are discovered and up.`,
        }),
      ),
      ...(
        [
          ["NameServerIndexFabioMissing", "nameServerIndex", "prometheus", "RocketMQ NameServer lookups fail"],
          ["PrometheusFabioMissing", "prometheus", "nameServerIndex", "Prometheus is unreachable through its Fabio"],
        ] as const
      ).map(([alert, role, otherRole, impact]) => {
        const service = fabioMetricsService(cfg.fabio[role]);
        const other = fabioMetricsService(cfg.fabio[otherRole]);
        const annotations = {
          summary: `No ${cfg.fabio[role].jobName} Fabio is up`,
          description: `No ${service} target has been discovered and up for 2 minutes: ${impact} on every host.`,
        };
        return missingCase(alert, SCRAPE_JOBS.fabio, 1, cluster, () => annotations, {
          labels: `,service="${service}"`,
          bystanders: [
            `up{job="${SCRAPE_JOBS.fabio}",instance="10.0.2.1:1234",cluster="${cluster}",service="${other}"}`,
          ],
        });
      }),
      downCase("TargetDown", SCRAPE_JOBS.nomadClients, targetDownMinutes, "warning", cluster, (instance) => ({
        summary: `Scrape target ${instance} of job ${SCRAPE_JOBS.nomadClients} is down`,
        description: `${SCRAPE_JOBS.nomadClients} target ${instance} has been down for ${cfg.prometheus.targetDownFor}.`,
      })),
      {
        // A leader reports autopilot health for 3 minutes, then no server does. Without samples the old
        // series counts as present for Prometheus' 5 minute lookback; after that plus `for: 1m`, it fires.
        interval: "1m",
        input_series: [{ series: autopilot, values: `${repeat("1", 3)} ${repeat("_", 12)}` }],
        alert_rule_test: [
          { eval_time: "2m", alertname: "ConsulNoLeader", exp_alerts: [] },
          { eval_time: "7m", alertname: "ConsulNoLeader", exp_alerts: [] },
          {
            eval_time: "10m",
            alertname: "ConsulNoLeader",
            exp_alerts: [
              {
                exp_labels: { job: SCRAPE_JOBS.consulServers, severity: "critical" },
                exp_annotations: {
                  summary: `Consul cluster ${cluster} has no leader`,
                  description:
                    "No Consul server has reported autopilot health for 1 minute: the cluster has no leader.",
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

export function alertRuleTestsYaml(cfg: StackConfig): string {
  return stringify(alertRuleTests(cfg), { lineWidth: 0, aliasDuplicateObjects: false });
}
