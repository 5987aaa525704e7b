// What `verify` learned from Consul and Nomad before probing anything, as plain data.
import type { FabioRole } from "../config";
import type { ConsulHealth, NomadAllocation, NomadNodeStub } from "./responses";

export interface ServiceInstance {
  node: string;
  nodeAddress: string;
  /** The service's own address, or the node's when the service has none. */
  address: string;
  port: number;
  checks: { name: string; status: string; output: string }[];
}

export interface IndexService {
  name: string;
  /** Subgroups its NameServer-index tags route. */
  subgroups: string[];
  instances: ServiceInstance[];
}

export interface ConsulView {
  fabio: Record<FabioRole, ServiceInstance[]>;
  indexServices: IndexService[];
  /** The catalog: every service with the union of its instances' tags. */
  services: Record<string, string[]>;
  /** Instances of the Prometheus job's service carrying its route tag (what the Prometheus Fabio routes to). */
  prometheus: ServiceInstance[];
  /** Addresses (without port) of the Consul servers, from the Raft peers. */
  servers: string[];
}

export interface NomadView {
  /** Ready nodes in the stack's datacenters that the jobs' host selection picks. */
  selected: NomadNodeStub[];
  /** Every ready node in the stack's datacenters: each runs a Nomad client Prometheus should scrape. */
  clients: NomadNodeStub[];
  /** Each Fabio job's allocations, or why they could not be read. */
  allocations: Record<FabioRole, NomadAllocation[] | { error: string }>;
  /** Addresses (without port) of the Nomad servers, from the Raft peers. */
  servers: string[];
}

export function instancesOf(health: ConsulHealth): ServiceInstance[] {
  return health.map((entry) => ({
    node: entry.Node.Node,
    nodeAddress: entry.Node.Address,
    address: entry.Service.Address || entry.Node.Address,
    port: entry.Service.Port,
    checks: entry.Checks.map((c) => ({ name: c.Name, status: c.Status, output: c.Output })),
  }));
}

/** `10.0.0.1:8300` → `10.0.0.1`, `[::1]:8300` → `::1`. */
export function hostOf(hostPort: string): string {
  const sep = hostPort.lastIndexOf(":");
  const host = sep === -1 ? hostPort : hostPort.slice(0, sep);
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
