// The dashboard's panels: one typed list, each query a function of the few names it needs. Lookup panels read the
// NameServer-index Fabio's route metrics; probe-based panels can join the list when lookup probes exist.
import { SCRAPE_JOBS } from "../prometheus-config";

/** What the queries need to know of a stack. */
export interface DashboardScope {
  /** The stack's clusterName: every series the stack's Prometheus scrapes carries `cluster="<clusterName>"`. */
  cluster: string;
  /** The Consul service of the NameServer-index Fabio's metrics listener (the `service` target label). */
  indexMetricsService: string;
}

export type PanelSection = "Lookups" | "Fabio" | "Targets" | "Leaders" | "Alerts";

export interface PanelQuery {
  expr: string;
  /** Grafana's legend template, e.g. `{{instance}}`. */
  legend: string;
}

export interface PanelDefinition {
  section: PanelSection;
  title: string;
  kind: "timeseries" | "stat";
  /** Grafana unit id. */
  unit: "reqps" | "s" | "short" | "none";
  queries: (scope: DashboardScope) => PanelQuery[];
  /**
   * A running Nomad the query needs to return series; none can run where the integration tier runs, so there the
   * query is only checked to parse.
   */
  needs?: "nomad";
}

/** Grafana's rate window: at least four scrape intervals, whatever the dashboard's time range. */
export const RATE_INTERVAL = "$__rate_interval";

const fabio = (scope: DashboardScope, extra = "") => `job="${SCRAPE_JOBS.fabio}",cluster="${scope.cluster}"${extra}`;
const lookups = (scope: DashboardScope) => fabio(scope, `,service="${scope.indexMetricsService}"`);

export const DASHBOARD_PANELS: readonly PanelDefinition[] = [
  {
    section: "Lookups",
    title: "Lookups per second by subgroup and host",
    kind: "timeseries",
    unit: "reqps",
    // Fabio labels a route's metrics with its path (/rocketmq/<subgroup>); the target's host is `instance`.
    queries: (s) => [
      {
        expr: `sum by (path, instance) (rate(fabio_route_count{${lookups(s)}}[${RATE_INTERVAL}]))`,
        legend: "{{path}} on {{instance}}",
      },
    ],
  },
  {
    section: "Lookups",
    title: "Lookup latency (p99) by subgroup and host",
    kind: "timeseries",
    unit: "s",
    queries: (s) => [
      {
        expr: `histogram_quantile(0.99, sum by (le, path, instance) (rate(fabio_route_bucket{${lookups(s)}}[${RATE_INTERVAL}])))`,
        legend: "{{path}} on {{instance}}",
      },
    ],
  },
  {
    section: "Lookups",
    title: "Failed lookups by host: unknown subgroup (no route) and 5xx",
    kind: "timeseries",
    unit: "reqps",
    queries: (s) => [
      {
        expr: `sum by (instance) (rate(fabio_notfound{${lookups(s)}}[${RATE_INTERVAL}]))`,
        legend: "no route on {{instance}}",
      },
      {
        expr: `sum by (instance, code) (rate(fabio_http_status_count{${lookups(s)},code=~"5.."}[${RATE_INTERVAL}]))`,
        legend: "{{code}} on {{instance}}",
      },
    ],
  },
  {
    section: "Fabio",
    title: "Fabio requests per second",
    kind: "timeseries",
    unit: "reqps",
    queries: (s) => [
      {
        expr: `sum by (service, instance) (rate(fabio_requests_count{${fabio(s)}}[${RATE_INTERVAL}]))`,
        legend: "{{service}} on {{instance}}",
      },
    ],
  },
  {
    section: "Fabio",
    title: "Fabio 404s (no route)",
    kind: "timeseries",
    unit: "reqps",
    queries: (s) => [
      {
        expr: `sum by (service, instance) (rate(fabio_notfound{${fabio(s)}}[${RATE_INTERVAL}]))`,
        legend: "{{service}} on {{instance}}",
      },
    ],
  },
  {
    section: "Fabio",
    title: "Fabio 5xx",
    kind: "timeseries",
    unit: "reqps",
    queries: (s) => [
      {
        expr: `sum by (service, instance, code) (rate(fabio_http_status_count{${fabio(s)},code=~"5.."}[${RATE_INTERVAL}]))`,
        legend: "{{code}} {{service}} on {{instance}}",
      },
    ],
  },
  {
    section: "Targets",
    title: "Targets up per scrape job",
    kind: "timeseries",
    unit: "short",
    queries: (s) => [{ expr: `sum by (job) (up{cluster="${s.cluster}"})`, legend: "{{job}}" }],
  },
  {
    section: "Leaders",
    title: "Consul leader",
    kind: "stat",
    unit: "none",
    // Consul 1.13+ reports consul_server_isLeader on every server; up to 1.8 only the leader reports autopilot.
    queries: (s) => [
      {
        expr:
          `max by (instance) (consul_server_isLeader{job="${SCRAPE_JOBS.consulServers}",cluster="${s.cluster}"}) == 1` +
          ` or max by (instance) (consul_autopilot_healthy{job="${SCRAPE_JOBS.consulServers}",cluster="${s.cluster}"} >= 0)`,
        legend: "{{instance}}",
      },
    ],
  },
  {
    section: "Leaders",
    title: "Nomad leader",
    kind: "stat",
    unit: "none",
    // Only the Nomad leader publishes autopilot health.
    queries: (s) => [
      {
        expr: `max by (instance) (nomad_nomad_autopilot_healthy{job="${SCRAPE_JOBS.nomadServers}",cluster="${s.cluster}"} >= 0)`,
        legend: "{{instance}}",
      },
    ],
    needs: "nomad",
  },
  {
    section: "Alerts",
    title: "Firing alerts",
    kind: "stat",
    unit: "short",
    // A count, so a quiet stack shows 0 rather than "no data".
    queries: () => [{ expr: `count(ALERTS{alertstate="firing"}) or vector(0)`, legend: "firing" }],
  },
];
