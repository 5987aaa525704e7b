// Alerts on the two Fabio system jobs.
import { FABIO_ROLES, type FabioRole, type StackConfig } from "../../config";
import type { StackModel } from "../../model";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { AlertDefinition, Severity } from "./definition";
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
/** Per Fabio role: the alerts' name stem, what its absence breaks, and how urgent one host's loss is. */
const MISSING: Record<FabioRole, { alert: string; impact: string; oneHost: Severity }> = {
  nameServerIndex: { alert: "NameServerIndexFabio", impact: "RocketMQ NameServer lookups fail", oneHost: "critical" },
  prometheus: { alert: "PrometheusFabio", impact: "Prometheus is unreachable through its Fabio", oneHost: "warning" },
};

/** Window within which a NameServer host that ran a Fabio is still expected to run one. */
const HOST_MEMORY = "1h";

/** How long a Fabio may be missing before its alerts fire. */
const MISSING_FOR = "2m";

export function fabioMissing(model: StackModel): AlertDefinition[] {
  const job = SCRAPE_JOBS.fabio;
  const cluster = model.config.clusterName;
  return FABIO_ROLES.flatMap((role) => {
    const { alert: stem, impact, oneHost } = MISSING[role];
    const alert = `${stem}Missing`;
    const fabio = model.fabios[role];
    const service = fabio.metricsService;
    // The other Fabios' targets must not hide this one's absence.
    const bystanders = FABIO_ROLES.filter((other) => other !== role).map((other, i) => ({
      job,
      instance: `10.0.2.${i + 1}:1234`,
      cluster,
      service: model.fabios[other].metricsService,
    }));
    const instance = (i: number) => ({ job, instance: `10.0.1.${i}:1234`, cluster, service });
    // Discovered targets, up or not: a target that is there but down is FabioDown's, so it is not also "missing".
    const discovered = `count(up{job="${job}",service="${service}"})`;
    const everywhere: AlertDefinition = {
      alert,
      expr: `absent(up{job="${job}",service="${service}"})`,
      for: MISSING_FOR,
      labels: { severity: "critical" },
      annotations: () => ({
        summary: `No ${fabio.name} Fabio is up`,
        description: `No ${service} target has been discovered for 2 minutes: ${impact} on every host.`,
      }),
      scenarios: [
        targetLeavesDiscovery(instance, 1, {
          forDuration: MISSING_FOR,
          firingValue: 1,
          firingLabels: { job, service },
          bystanders,
        }),
      ],
    };
    // A stopped or failed allocation deregisters its service, so its target leaves discovery instead of going
    // down: FabioDown never sees it, and the absent() above only fires once every host has lost its Fabio.
    // Fewer discovered than at any time in the last hour means a host lost its Fabio; a host taken out of
    // service on purpose stops counting after that hour. Once none is left, count() is empty and only the
    // absent() above fires.
    const onOneHost: AlertDefinition = {
      alert: `${stem}HostMissing`,
      expr: `${discovered} < max_over_time(${discovered}[${HOST_MEMORY}:1m])`,
      for: MISSING_FOR,
      labels: { severity: oneHost },
      annotations: ({ value }) => ({
        summary: `A NameServer host lost its ${fabio.name} Fabio`,
        description: `Only ${value()} ${service} targets are discovered, fewer than in the last ${HOST_MEMORY}: ${impact} through the host that lost it.`,
      }),
      scenarios: [targetLeavesDiscovery(instance, 3, { forDuration: MISSING_FOR, firingValue: 2, bystanders })],
    };
    return [everywhere, onOneHost];
  });
}
