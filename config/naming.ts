// Naming primitives: how a name is derived from the values it is made of. Pure and import-free, so the config's
// checks (which must refuse a name that would collide or be too long) and the stack model (model/, which
// resolves every derived name of a stack once) read the same rule.

/** Consul refuses a longer ACL policy name. */
export const ACL_POLICY_NAME_MAX = 128;

/**
 * Policy names are global to a Consul datacenter, which several stacks may share, so each names its cluster.
 * `_` separates cluster and job because neither may contain it (both are DNS labels): with `-`, cluster "a" +
 * job "b-x" and cluster "a-b" + job "x" would share a name. Within a stack the job name alone tells the
 * consumers apart (the config keeps the job names distinct); adding a kind only to job names that lack it, as
 * before, gave Fabio "prometheus-x" and Prometheus "fabio-prometheus-x" one policy. The config refuses a stack
 * whose longest name passes ACL_POLICY_NAME_MAX (`consul.acl` in config/schema.ts).
 */
export function aclPolicyName(clusterName: string, jobName: string): string {
  return `rocketmq-${clusterName}_${jobName}`;
}

/**
 * The Consul services the stack's Nomad servers and clients register their HTTP, RPC and Serf endpoints under
 * (the images' `server_service_name`, `client_service_name`). Nomad agents find their servers through these
 * names: with Nomad's defaults (`nomad`, `nomad-client`) two stacks' agents on one Consul would join into one
 * Nomad cluster. The `-nomad` / `-nomad-client` endings keep every stack's two names apart from every other's.
 */
export function nomadServerService(clusterName: string): string {
  return `${clusterName}-nomad`;
}

export function nomadClientService(clusterName: string): string {
  return `${clusterName}-nomad-client`;
}

/** The Consul service Prometheus discovers Consul servers by (the seed's name), defined in the server image. */
export const CONSUL_HTTP_SERVICE = "consul_http";

/** The Consul service Nomad registers for a Fabio's metrics listener, which Prometheus discovers. */
export function fabioMetricsService(jobName: string): string {
  return `${jobName}-metrics`;
}

/** The Consul service of a deployed Alertmanager's gossip port, which its instances find their peers by. */
export function alertmanagerPeersService(jobName: string): string {
  return `${jobName}-cluster`;
}

/** What Prometheus discovers, each with the Consul services it discovers it by. */
export interface DiscoveredServices {
  readonly nomadServers: readonly string[];
  readonly nomadClients: readonly string[];
  readonly consulServers: readonly string[];
  readonly fabios: readonly string[];
  readonly prometheus: readonly string[];
  readonly alertmanagers: readonly string[];
}

export type DiscoveryPurpose = keyof DiscoveredServices;

/** Each purpose as a user reads it: "the service Prometheus discovers <…> by". */
export const DISCOVERY_PURPOSES: Readonly<Record<DiscoveryPurpose, string>> = {
  nomadServers: "Nomad servers",
  nomadClients: "Nomad clients",
  consulServers: "Consul servers",
  fabios: "the Fabios' metrics listeners",
  prometheus: "Prometheus itself",
  alertmanagers: "the Alertmanagers",
};

/** The names the discovered services are derived from. */
export interface DiscoveryNames {
  clusterName: string;
  /** The Fabio jobs' names, in FABIO_ROLES order. */
  fabioJobNames: readonly string[];
  prometheusJobName: string;
  alertmanagerService: string | undefined;
}

export function discoveredServices(names: DiscoveryNames): DiscoveredServices {
  return {
    nomadServers: [nomadServerService(names.clusterName)],
    nomadClients: [nomadClientService(names.clusterName)],
    consulServers: [CONSUL_HTTP_SERVICE],
    fabios: names.fabioJobNames.map(fabioMetricsService),
    prometheus: [names.prometheusJobName],
    alertmanagers: names.alertmanagerService === undefined ? [] : [names.alertmanagerService],
  };
}
