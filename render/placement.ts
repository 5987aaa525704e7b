// Nomad constraints that pick hosts for a job.
import { isNodeMetaKey, type NameServerHosts, type StackConfig } from "../config";

export interface Constraint {
  /** HCL source of the attribute, e.g. `${node.class}`: Nomad resolves it per node at scheduling time. */
  attribute: string;
  value: string;
}

/**
 * `${node.class}` and `${meta.*}` are Nomad's own runtime attributes, written as HCL source on purpose;
 * the value beside them goes through the normal escape. A meta key becomes part of that source, so
 * anything the config's rule (`isNodeMetaKey`: HCL identifiers joined by dots) rejects is refused here too,
 * whatever validation ran before.
 */
export function hostConstraint(hosts: NameServerHosts): Constraint {
  switch (hosts.by) {
    case "nodeClass":
      return { attribute: "${node.class}", value: hosts.nodeClass };
    case "meta":
      if (!isNodeMetaKey(hosts.key)) {
        throw new RangeError(`refusing to write node meta key ${JSON.stringify(hosts.key)} into a constraint`);
      }
      return { attribute: `\${meta.${hosts.key}}`, value: hosts.value };
    default: {
      const unreachable: never = hosts;
      throw new Error(`unknown host selection ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Prometheus' placement: the NameServer hosts by default, another selection, or no constraint at all. */
export function prometheusConstraint(cfg: StackConfig): Constraint | undefined {
  const placement = cfg.prometheus.placement;
  switch (placement.by) {
    case "nameServerHosts":
      return hostConstraint(cfg.nameServerHosts);
    case "nodeClass":
    case "meta":
      return hostConstraint(placement);
    case "anyHost":
      return undefined;
    default: {
      const unreachable: never = placement;
      throw new Error(`unknown placement ${JSON.stringify(unreachable)}`);
    }
  }
}
