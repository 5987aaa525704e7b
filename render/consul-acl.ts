// Least-privilege Consul ACL policies for the system jobs.
import { aclPolicyName, FABIO_ROLES, type StackConfig } from "../config";
import { fabioKvPrefix } from "./fabio-properties";
import { hclString } from "./hcl";

export type AclConsumerKind = "fabio" | "prometheus";

export interface AclConsumer {
  kind: AclConsumerKind;
  /** The Nomad job that uses the token; its Nomad Variable lives at `nomad/jobs/<jobName>`. */
  jobName: string;
  /** Consul ACL policy name (`aclPolicyName`), also the file name under `<out>/consul-acl/`. */
  policyName: string;
  /** Consul ACL rules (HCL). */
  rules: string;
}

function rule(resource: string, segment: string, policy: "read" | "write" | "deny"): string {
  return `${resource} ${hclString(segment)} {\n  policy = ${hclString(policy)}\n}\n`;
}

/** Catalog and health reads (services, nodes) and the local agent's self/metrics endpoints. */
function discoveryRules(): string[] {
  return [rule("service_prefix", "", "read"), rule("node_prefix", "", "read"), rule("agent_prefix", "", "read")];
}

/** Fabio also reads its own manual-override and no-route keys, under its own KV path only. */
export function fabioPolicyRules(kvPrefix: string): string {
  return [...discoveryRules(), rule("key_prefix", kvPrefix, "read")].join("\n");
}

export function prometheusPolicyRules(): string {
  return discoveryRules().join("\n");
}

/** Every consumer of a Consul token, empty when the cluster runs without ACLs. */
export function aclConsumers(cfg: StackConfig): AclConsumer[] {
  if (!cfg.consul.acl.enabled) return [];
  const fabios = FABIO_ROLES.map((role): AclConsumer => {
    const instance = cfg.fabio[role];
    return {
      kind: "fabio",
      jobName: instance.jobName,
      policyName: aclPolicyName(cfg.clusterName, instance.jobName),
      rules: fabioPolicyRules(fabioKvPrefix(cfg, role)),
    };
  });
  const prometheus: AclConsumer = {
    kind: "prometheus",
    jobName: cfg.prometheus.jobName,
    policyName: aclPolicyName(cfg.clusterName, cfg.prometheus.jobName),
    rules: prometheusPolicyRules(),
  };
  return [...fabios, prometheus];
}
