// What keeps two stacks apart on one Consul datacenter: every name, tag and prefix a stack registers,
// discovers or routes by carries its clusterName, so no stack sees another's services or routes.
import type { FabioRole, StackConfig } from "../config";

/** The tag every service of the stack carries; each scrape job discovers only the instances that have it. */
export function clusterTag(cfg: StackConfig): string {
  return `cluster-${cfg.clusterName}`;
}

/**
 * The Consul tag prefix a Fabio routes by (`registry.consul.tagprefix`): `<clusterName>.<tagPrefix>`. Fabio
 * matches it as a plain string prefix. A cluster name is a DNS label, without '.', so one stack's prefix
 * never starts with another stack's; within a stack, the config keeps either tagPrefix from starting with
 * the other.
 */
export function fabioTagPrefix(cfg: StackConfig, role: FabioRole): string {
  return `${cfg.clusterName}.${cfg.fabio[role].tagPrefix}`;
}

/**
 * The Consul services the stack's Nomad servers and clients register (`server_service_name`,
 * `client_service_name`). Nomad agents find their servers through these names: with Nomad's defaults
 * (`nomad`, `nomad-client`) two stacks' agents on one Consul would join into one Nomad cluster. The
 * `-nomad` / `-nomad-client` endings keep every stack's two names apart from every other's.
 */
export function nomadServerService(cfg: StackConfig): string {
  return `${cfg.clusterName}-nomad`;
}

export function nomadClientService(cfg: StackConfig): string {
  return `${cfg.clusterName}-nomad-client`;
}
