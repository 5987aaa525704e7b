// Least-privilege Consul ACL policies for the system jobs.
import type { JobKind, StackModel } from "../model";
import { hclString } from "./hcl";

export type AclConsumerKind = JobKind;

export interface AclConsumer {
  kind: AclConsumerKind;
  /** The Nomad job that uses the token. */
  jobName: string;
  /** Consul ACL policy name (the job model's `aclPolicyName`), also the file name under `<out>/consul-acl/`. */
  policyName: string;
  /** The Nomad Variable that carries the token (the job model's `variablePath`). */
  variablePath: string;
  /** Where the render CLI writes the rules. */
  artifactPath: string;
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
export function aclConsumers(model: StackModel): AclConsumer[] {
  if (!model.config.consul.acl.enabled) return [];
  return model.jobs.flatMap((job): AclConsumer[] => {
    const rules = policyRules(job);
    if (rules === undefined) return [];
    return [
      {
        kind: job.kind,
        jobName: job.name,
        policyName: job.aclPolicyName,
        variablePath: job.variablePath,
        artifactPath: job.artifacts.aclPolicy,
        rules,
      },
    ];
  });
}

/** A job's rules, or undefined for a job that never calls Consul and so gets no token at all. */
function policyRules(job: StackModel["jobs"][number]): string | undefined {
  switch (job.kind) {
    case "fabio":
      return fabioPolicyRules(job.kvPrefix);
    case "prometheus":
      return prometheusPolicyRules();
    case "alertmanager":
      // Alertmanager talks to no Consul API; its peers template is read by Nomad's own Consul integration.
      return undefined;
    default: {
      const unreachable: never = job;
      throw new Error(`unknown job ${JSON.stringify(unreachable)}`);
    }
  }
}
