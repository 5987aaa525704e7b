// Least-privilege Consul ACL policies for the system jobs.
import type { StackConfig } from "../config";
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

/**
 * Policy names are global to a Consul datacenter, which several stacks may share, so each names its cluster.
 * `_` separates cluster and job because neither may contain it (both are DNS labels): with `-`, cluster "a" +
 * job "b-x" and cluster "a-b" + job "x" would share a name. Within a stack the job name alone tells the
 * consumers apart (the config keeps the three job names distinct); adding a kind only to job names that
 * lack it, as before, gave Fabio "prometheus-x" and Prometheus "fabio-prometheus-x" one policy. Consul
 * allows at most 128 characters, which the config checks (`consul.acl` in config/schema.ts).
 */
export function aclPolicyName(clusterName: string, jobName: string): string {
  return `rocketmq-${clusterName}_${jobName}`;
}

/** Every consumer of a Consul token, empty when the cluster runs without ACLs. */
export function aclConsumers(cfg: StackConfig): AclConsumer[] {
  if (!cfg.consul.acl.enabled) return [];
  const fabios = (["nameServerIndex", "prometheus"] as const).map((role): AclConsumer => {
    const instance = cfg.fabio[role];
    return {
      kind: "fabio",
      jobName: instance.jobName,
      policyName: aclPolicyName(cfg.clusterName, instance.jobName),
      rules: fabioPolicyRules(fabioKvPrefix(instance)),
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
