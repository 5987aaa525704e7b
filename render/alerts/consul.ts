// Alerts on the Consul cluster as a whole.
import { consulReportsIsLeader, type StackConfig } from "../../config";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { AlertDefinition } from "./definition";
import { leaderGaugesDrop, seriesStops } from "./scenarios";

/**
 * How Consul servers report leadership, by version (`telemetry.disable_hostname = true`, as the images set):
 *  - up to 1.8: only the leader publishes `consul_autopilot_healthy`; without a leader no server does.
 *  - 1.9 to 1.12: every server publishes `consul_autopilot_healthy` (NaN, then 0, on followers) and none
 *    says which one leads, so these versions cannot be told apart from a leaderless cluster: unsupported.
 *  - from 1.13: every server publishes `consul_server_isLeader`, 1 on the leader and 0 on the others.
 * The rule reads both supported forms (config/agent-versions.ts refuses the others); its tests model the form
 * of the stack's `images.consul.version`.
 */
export function consulNoLeader(cfg: StackConfig): AlertDefinition {
  const job = SCRAPE_JOBS.consulServers;
  const cluster = cfg.clusterName;
  const server = (i: number) => ({ job, instance: `10.0.0.${i}:8500`, cluster });
  const forDuration = "1m";
  return {
    alert: "ConsulNoLeader",
    expr:
      `max by (job) (consul_server_isLeader{job="${job}"}) == 0` +
      ` or (absent(consul_server_isLeader{job="${job}"}) and absent(consul_autopilot_healthy{job="${job}"}))`,
    for: forDuration,
    labels: { severity: "critical" },
    annotations: () => ({
      summary: `Consul cluster ${cluster} has no leader`,
      description:
        "No Consul server has reported being the leader for 1 minute: Consul cannot serve writes or consistent reads.",
    }),
    scenarios: consulReportsIsLeader(cfg.images.consul.version)
      ? // Consul 1.13+: every server reports both gauges, followers with 0.
        [leaderGaugesDrop(["consul_server_isLeader", "consul_autopilot_healthy"], server, 3, { job }, forDuration)]
      : // Consul 1.8: the leader's autopilot series goes, and no follower has one.
        [seriesStops("consul_autopilot_healthy", server(5), { job }, forDuration)],
  };
}
