// The Fabio system jobspec for one of the two Fabios.
import type { NameServerHosts, StackConfig } from "../config";
import { fabioProperties, type FabioRole } from "./fabio-properties";
import { hclHeredoc, hclStringList } from "./hcl";
import { renderTemplate } from "./template";
import type { RenderedJob } from "./rendered-job";

const DESCRIPTION: Record<FabioRole, string> = {
  nameServerIndex:
    "Fabio serving RocketMQ NameServer-index lookups (GET /rocketmq/<subgroup>) on every NameServer host.",
  prometheus: "Fabio routing to Prometheus on every NameServer host.",
};

/**
 * The Nomad constraint that picks NameServer hosts. `${node.class}` and `${meta.*}` are Nomad's own
 * runtime attributes: they are written as HCL source on purpose, the value beside them is escaped.
 */
export function hostConstraintAttribute(hosts: NameServerHosts): { attribute: string; value: string } {
  switch (hosts.by) {
    case "nodeClass":
      return { attribute: "${node.class}", value: hosts.nodeClass };
    case "meta":
      if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(hosts.key)) {
        throw new RangeError(`refusing to write node meta key ${JSON.stringify(hosts.key)} into a constraint`);
      }
      return { attribute: `\${meta.${hosts.key}}`, value: hosts.value };
    default: {
      const unreachable: never = hosts;
      throw new Error(`unknown host selection ${JSON.stringify(unreachable)}`);
    }
  }
}

export function renderFabioJob(cfg: StackConfig, role: FabioRole, stack: string): RenderedJob {
  const instance = cfg.fabio[role];
  const constraint = hostConstraintAttribute(cfg.nameServerHosts);
  const hcl = renderTemplate("fabio.nomad.hcl.mustache", {
    description: DESCRIPTION[role],
    stack,
    jobName: instance.jobName,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    constraintAttribute: constraint.attribute,
    constraintValue: constraint.value,
    proxyPort: instance.proxyPort,
    uiPort: instance.uiPort,
    serviceTags: hclStringList(["fabio", `cluster-${cfg.clusterName}`]),
    image: cfg.fabio.image,
    properties: hclHeredoc(fabioProperties(cfg, role)),
    cpu: instance.resources.cpu,
    memory: instance.resources.memory,
  });
  return { name: instance.jobName, kind: "fabio", type: "system", hcl };
}
