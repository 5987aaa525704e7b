// Alerts on the Nomad servers as a whole.
import type { StackConfig } from "../../config";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { AlertDefinition } from "./definition";
import { seriesStops } from "./scenarios";

/**
 * Every Nomad 1.x server sets `nomad.nomad.autopilot.healthy` only while it is the raft leader, and Nomad's
 * Prometheus sink declares no gauges in advance, so followers never publish it: no series means no leader
 * (once the old leader's series has expired from its sink, 60 seconds).
 */
export function nomadNoLeader(cfg: StackConfig): AlertDefinition {
  const job = SCRAPE_JOBS.nomadServers;
  const cluster = cfg.clusterName;
  const forDuration = "1m";
  return {
    alert: "NomadNoLeader",
    expr: `absent(nomad_nomad_autopilot_healthy{job="${job}"})`,
    for: forDuration,
    labels: { severity: "critical" },
    annotations: () => ({
      summary: `Nomad cluster ${cluster} has no leader`,
      description: "No Nomad server has reported being the leader for 1 minute: jobs cannot be scheduled or changed.",
    }),
    scenarios: [
      seriesStops("nomad_nomad_autopilot_healthy", { job, instance: "10.0.0.5:4646", cluster }, { job }, forDuration),
    ],
  };
}
