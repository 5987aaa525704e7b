// The name of a system job's Consul ACL policy: the config checks its length, render/consul-acl.ts writes it.

/** Consul refuses a longer ACL policy name. */
export const ACL_POLICY_NAME_MAX = 128;

/**
 * Policy names are global to a Consul datacenter, which several stacks may share, so each names its cluster.
 * `_` separates cluster and job because neither may contain it (both are DNS labels): with `-`, cluster "a" +
 * job "b-x" and cluster "a-b" + job "x" would share a name. Within a stack the job name alone tells the
 * consumers apart (the config keeps the three job names distinct); adding a kind only to job names that
 * lack it, as before, gave Fabio "prometheus-x" and Prometheus "fabio-prometheus-x" one policy. The config
 * refuses a stack whose longest name passes ACL_POLICY_NAME_MAX (`consul.acl` in config/schema.ts).
 */
export function aclPolicyName(clusterName: string, jobName: string): string {
  return `rocketmq-${clusterName}_${jobName}`;
}
