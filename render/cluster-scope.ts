// What keeps two stacks apart on one Consul datacenter: every name, tag and prefix a stack registers,
// discovers or routes by carries its clusterName, so no stack sees another's services or routes. (The Nomad
// agents' service names, `nomadServerService` / `nomadClientService`, live with the other discovered services
// in config/discovered-services.ts.)
import type { FabioRole, StackConfig } from "../config";
import type { NameServerIndexStack } from "./nameserver-index";

/** The tag every service of the stack carries; each scrape job discovers only the instances that have it. */
export function clusterTag(cfg: StackConfig): string {
  return `cluster-${cfg.clusterName}`;
}

/** The tag of the Consul servers this stack scrapes: `consul.serverCluster`'s, else this stack's own. */
export function consulServerTag(cfg: StackConfig): string {
  return `cluster-${cfg.consul.serverCluster ?? cfg.clusterName}`;
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

/** The NameServer-index contract's view of the stack: what a cluster's service builds its tags from. */
export function nameServerIndexStack(cfg: StackConfig): NameServerIndexStack {
  return { clusterName: cfg.clusterName, tagPrefix: fabioTagPrefix(cfg, "nameServerIndex") };
}
