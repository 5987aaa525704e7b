// Alerts on the two Fabio system jobs.
import { FABIO_ROLES, type FabioRole, type StackConfig } from "../../config";
import { fabioMetricsService } from "../fabio-properties";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { AlertDefinition } from "./definition";
import { targetLeavesDiscovery } from "./scenarios";
import { targetDown } from "./targets";

export function fabioDown(cfg: StackConfig): AlertDefinition {
  return targetDown({
    alert: "FabioDown",
    job: SCRAPE_JOBS.fabio,
    for: "1m",
    severity: "critical",
    annotations: ({ label }) => ({
      summary: `Fabio ${label("instance")} is down`,
      description: `Fabio ${label("instance")} has not answered for 1 minute: RocketMQ NameServer lookups or Prometheus routing on that host fail.`,
    }),
    example: { job: SCRAPE_JOBS.fabio, instance: "10.0.0.1:1234", cluster: cfg.clusterName },
  });
}

/**
 * A system job on every NameServer host. When one of the two Fabio jobs is stopped everywhere its targets
 * leave discovery (FabioDown never sees them) while the other Fabio stays up, so each is watched alone.
 */
/** Per Fabio role: the alert's name and what its absence breaks. */
const MISSING: Record<FabioRole, { alert: string; impact: string }> = {
  nameServerIndex: { alert: "NameServerIndexFabioMissing", impact: "RocketMQ NameServer lookups fail" },
  prometheus: { alert: "PrometheusFabioMissing", impact: "Prometheus is unreachable through its Fabio" },
};

export function fabioMissing(cfg: StackConfig): AlertDefinition[] {
  const job = SCRAPE_JOBS.fabio;
  const cluster = cfg.clusterName;
  return FABIO_ROLES.map((role) => {
    const { alert, impact } = MISSING[role];
    const service = fabioMetricsService(cfg.fabio[role]);
    // The other Fabios' targets must not hide this one's absence.
    const bystanders = FABIO_ROLES.filter((other) => other !== role).map((other, i) => ({
      job,
      instance: `10.0.2.${i + 1}:1234`,
      cluster,
      service: fabioMetricsService(cfg.fabio[other]),
    }));
    return {
      alert,
      expr: `absent(up{job="${job}",service="${service}"} == 1)`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: () => ({
        summary: `No ${cfg.fabio[role].jobName} Fabio is up`,
        description: `No ${service} target has been discovered and up for 2 minutes: ${impact} on every host.`,
      }),
      scenarios: [
        targetLeavesDiscovery((i) => ({ job, instance: `10.0.1.${i}:1234`, cluster, service }), 1, {
          firingValue: 1,
          bystanders,
        }),
      ],
    };
  });
}
