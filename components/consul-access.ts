// A least-privilege Consul token for one system job, delivered through the job's own Nomad Variable.
import * as pulumi from "@pulumi/pulumi";
import * as consul from "@pulumi/consul";
import * as nomad from "@pulumi/nomad";
import type { StackConfig } from "../config";
import { aclConsumers, nomadVariablePath, TOKEN_ITEM, type AclConsumer } from "../render";

export interface ConsulAccessArgs {
  /** Who the token is for: its policy name, rules and job (from `aclConsumers(stackConfig)`). */
  consumer: AclConsumer;
  /** Consul datacenter to create the policy in; the provider's when unset. */
  datacenter?: string;
}

export class ConsulAccess extends pulumi.ComponentResource {
  readonly policyName: pulumi.Output<string>;
  /** The token's accessor ID (not a secret: it cannot be used to authenticate). */
  readonly accessorId: pulumi.Output<string>;
  /** The Nomad Variable the job's template reads the token from. */
  readonly variable: nomad.Variable;

  constructor(name: string, args: ConsulAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:ConsulAccess", name, {}, opts);
    const { consumer } = args;

    const policy = new consul.AclPolicy(
      name,
      {
        name: consumer.policyName,
        description: `rocketmq-system-jobs: what the ${consumer.jobName} job needs from Consul`,
        rules: consumer.rules,
        ...(args.datacenter ? { datacenters: [args.datacenter] } : {}),
      },
      { parent: this },
    );
    const token = new consul.AclToken(
      name,
      { description: `rocketmq-system-jobs: ${consumer.jobName}`, policies: [policy.name], local: false },
      { parent: this },
    );
    const secretId = consul.getAclTokenSecretIdOutput({ accessorId: token.accessorId }, { parent: this }).secretId;

    this.variable = new nomad.Variable(
      name,
      {
        path: nomadVariablePath(consumer.jobName),
        // pulumi.secret keeps the token encrypted in state and out of logs and outputs.
        items: pulumi.secret(secretId.apply((secret) => ({ [TOKEN_ITEM]: secret }))),
      },
      { parent: this },
    );

    this.policyName = policy.name;
    this.accessorId = token.accessorId;
    this.registerOutputs({ policyName: this.policyName, accessorId: this.accessorId });
  }
}

/**
 * One ConsulAccess per token consumer, all through one explicit Consul provider (the default provider
 * is never used, so a stray CONSUL_HTTP_TOKEN on the deploying machine cannot change who creates them).
 * Empty when ACLs are off.
 */
export function createConsulAccess(
  stackConfig: StackConfig,
  token: () => pulumi.Output<string>,
): Map<string, ConsulAccess> {
  const acl = stackConfig.consul.acl;
  const consumers = aclConsumers(stackConfig);
  if (!acl.enabled || consumers.length === 0) return new Map();
  const provider = new consul.Provider("consul-acl", {
    address: acl.apiAddress,
    scheme: acl.scheme,
    token: token(),
    ...(acl.datacenter ? { datacenter: acl.datacenter } : {}),
  });
  return new Map(
    consumers.map((consumer) => [
      consumer.jobName,
      new ConsulAccess(`${consumer.jobName}-consul-access`, { consumer, datacenter: acl.datacenter }, { provider }),
    ]),
  );
}

/** What a job must wait for: its token in its Nomad Variable (nothing without ACLs). */
export function consulTokenFor(access: Map<string, ConsulAccess>, jobName: string): pulumi.Resource[] {
  const own = access.get(jobName);
  return own ? [own.variable] : [];
}
