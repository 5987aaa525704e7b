// Alerts on Prometheus itself.
import type { StackConfig } from "../../config";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { AlertDefinition } from "./definition";
import { seriesDrops } from "./scenarios";

/** Config changes reach Prometheus as a SIGHUP; a config it rejects leaves it on the old one, silently. */
export function prometheusConfigReloadFailed(cfg: StackConfig): AlertDefinition {
  const job = SCRAPE_JOBS.prometheus;
  const forDuration = "1m";
  return {
    alert: "PrometheusConfigReloadFailed",
    expr: `prometheus_config_last_reload_successful{job="${job}"} == 0`,
    for: forDuration,
    labels: { severity: "warning" },
    annotations: ({ label }) => ({
      summary: `Prometheus ${label("instance")} rejected its new config`,
      description: `Prometheus ${label("instance")} failed to reload its config and still runs the previous one; its log says why.`,
    }),
    scenarios: [
      seriesDrops(
        "prometheus_config_last_reload_successful",
        { job, instance: "10.0.0.9:25000", cluster: cfg.clusterName },
        forDuration,
      ),
    ],
  };
}
