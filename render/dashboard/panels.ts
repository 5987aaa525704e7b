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
const FIVE_XX = `,code=~"5.."`;

/** Per-second rate of a counter (or a histogram's `_count`), summed by `by`. */
function rate(metric: string, selector: string, by: string, legend: string): PanelQuery {
  return { expr: `sum by (${by}) (rate(${metric}{${selector}}[${RATE_INTERVAL}]))`, legend };
}

/** A timeseries of request rates. */
function ratePanel(section: PanelSection, title: string, queries: PanelDefinition["queries"]): PanelDefinition {
  return { section, title, kind: "timeseries", unit: "reqps", queries };
}

export const DASHBOARD_PANELS: readonly PanelDefinition[] = [
  // Fabio labels a route's metrics with its path (/rocketmq/<subgroup>); the target's host is `instance`.
  ratePanel("Lookups", "Lookups per second by subgroup and host", (s) => [
    rate("fabio_route_count", lookups(s), "path, instance", "{{path}} on {{instance}}"),
  ]),
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
  ratePanel("Lookups", "Failed lookups by host: unknown subgroup (no route) and 5xx", (s) => [
    rate("fabio_notfound", lookups(s), "instance", "no route on {{instance}}"),
    rate("fabio_http_status_count", lookups(s) + FIVE_XX, "instance, code", "{{code}} on {{instance}}"),
  ]),
  ratePanel("Fabio", "Fabio requests per second", (s) => [
    rate("fabio_requests_count", fabio(s), "service, instance", "{{service}} on {{instance}}"),
  ]),
  ratePanel("Fabio", "Fabio 404s (no route)", (s) => [
    rate("fabio_notfound", fabio(s), "service, instance", "{{service}} on {{instance}}"),
  ]),
  ratePanel("Fabio", "Fabio 5xx", (s) => [
    rate(
      "fabio_http_status_count",
      fabio(s) + FIVE_XX,
      "service, instance, code",
      "{{code}} {{service}} on {{instance}}",
    ),
  ]),
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
