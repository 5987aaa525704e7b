// The Consul services the Prometheus config discovers, by what it discovers them for: the one list
// prometheus.yml's scrape jobs and alerting are built from, and the list service names are checked against.
import type { AlertingConfig } from "./alerting-schema";
import { FABIO_ROLES, type StackConfig } from "./schema";

/**
 * The Consul services the stack's Nomad servers and clients register their HTTP, RPC and Serf endpoints under
 * (the images' `server_service_name`, `client_service_name`). Nomad agents find their servers through these
 * names: with Nomad's defaults (`nomad`, `nomad-client`) two stacks' agents on one Consul would join into one
 * Nomad cluster. The `-nomad` / `-nomad-client` endings keep every stack's two names apart from every other's.
 */
export function nomadServerService(cfg: { clusterName: string }): string {
  return `${cfg.clusterName}-nomad`;
}

export function nomadClientService(cfg: { clusterName: string }): string {
  return `${cfg.clusterName}-nomad-client`;
}

/** The Consul service Prometheus discovers Consul servers by (the seed's name), defined in the server image. */
export const CONSUL_HTTP_SERVICE = "consul_http";

/** The Consul service Nomad registers for a Fabio's metrics listener, which Prometheus discovers. */
export function fabioMetricsService(instance: { jobName: string }): string {
  return `${instance.jobName}-metrics`;
}

/** What Prometheus discovers, each with the Consul services it discovers it by. */
export interface DiscoveredServices {
  nomadServers: string[];
  nomadClients: string[];
  consulServers: string[];
  fabios: string[];
  prometheus: string[];
  alertmanagers: string[];
}

export type DiscoveryPurpose = keyof DiscoveredServices;

/** Each purpose as a user reads it: "the service Prometheus discovers <…> by". */
export const DISCOVERY_PURPOSES: Record<DiscoveryPurpose, string> = {
  nomadServers: "Nomad servers",
  nomadClients: "Nomad clients",
  consulServers: "Consul servers",
  fabios: "the Fabios' metrics listeners",
  prometheus: "Prometheus itself",
  alertmanagers: "the Alertmanagers",
};

/** The Consul services of the Alertmanagers Prometheus sends to: none when the stack delivers nowhere. */
export function alertmanagerServices(alerting: AlertingConfig): string[] {
  switch (alerting.delivery) {
    case "discovered":
      return [alerting.service];
    case "deployed":
      return [alerting.jobName];
    case "none":
      return [];
    default: {
      const never: never = alerting;
      return never;
    }
  }
}

export function discoveredServices(cfg: StackConfig): DiscoveredServices {
  const { fabio, prometheus } = cfg;
  return {
    nomadServers: [nomadServerService(cfg)],
    nomadClients: [nomadClientService(cfg)],
    consulServers: [CONSUL_HTTP_SERVICE],
    fabios: FABIO_ROLES.map((role) => fabioMetricsService(fabio[role])),
    prometheus: [prometheus.jobName],
    alertmanagers: alertmanagerServices(prometheus.alerting),
  };
}
