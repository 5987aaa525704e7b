// Alerts on the Consul cluster as a whole.
import type { StackConfig } from "../../config";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { AlertDefinition } from "./definition";
import { seriesStops } from "./scenarios";

/** Consul 1.8 publishes autopilot health from the leader only: no series means no leader. */
export function consulNoLeader(cfg: StackConfig): AlertDefinition {
  const job = SCRAPE_JOBS.consulServers;
  return {
    alert: "ConsulNoLeader",
    expr: `absent(consul_autopilot_healthy{job="${job}"})`,
    for: "1m",
    labels: { severity: "critical" },
    annotations: () => ({
      summary: `Consul cluster ${cfg.clusterName} has no leader`,
      description: "No Consul server has reported autopilot health for 1 minute: the cluster has no leader.",
    }),
    scenarios: [
      seriesStops("consul_autopilot_healthy", { job, instance: "10.0.0.5:8500", cluster: cfg.clusterName }, { job }),
    ],
  };
}
