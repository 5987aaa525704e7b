// A least-privilege Consul token for one system job, delivered through the job's own Nomad Variable.
import * as pulumi from "@pulumi/pulumi";
import * as consul from "@pulumi/consul";
import * as nomad from "@pulumi/nomad";
import type { StackConfig } from "../config";
import { TOKEN_ITEM, type AclConsumer } from "../render";

export interface ConsulAccessArgs {
  /** Who the token is for: its policy name, rules and job (one of `aclConsumers(stackConfig)`). */
  consumer: AclConsumer;
  /**
   * Consul datacenter to create the policy in (`consul.acl.datacenter`).
   * @default the datacenter of the Consul provider's agent
   */
  datacenter?: string;
}

/** The children of a ConsulAccess: the policy, a token with it, and the Nomad Variable that carries the token. */
export interface ConsulAccessChildren {
  policy: consul.AclPolicy;
  token: consul.AclToken;
  variable: nomad.Variable;
}

/** Creates a ConsulAccess' children under `parent`, each named `name`. */
export function createConsulAccessChildren(
  name: string,
  parent: pulumi.Resource,
  args: ConsulAccessArgs,
): ConsulAccessChildren {
  const { consumer } = args;
  const policy = new consul.AclPolicy(
    name,
    {
      name: consumer.policyName,
      description: `rocketmq-system-jobs: what the ${consumer.jobName} job needs from Consul`,
      rules: consumer.rules,
      ...(args.datacenter ? { datacenters: [args.datacenter] } : {}),
    },
    { parent },
  );
  const token = new consul.AclToken(
    name,
    { description: `rocketmq-system-jobs: ${consumer.jobName}`, policies: [policy.name], local: false },
    { parent },
  );
  const secretId = consul.getAclTokenSecretIdOutput({ accessorId: token.accessorId }, { parent }).secretId;
  const variable = new nomad.Variable(
    name,
    {
      path: consumer.variablePath,
      // pulumi.secret keeps the token encrypted in state and out of logs and outputs.
      items: pulumi.secret(secretId.apply((secret) => ({ [TOKEN_ITEM]: secret }))),
    },
    { parent },
  );
  return { policy, token, variable };
}

export class ConsulAccess extends pulumi.ComponentResource implements ConsulAccessChildren {
  /** The job's least-privilege ACL policy. */
  readonly policy: consul.AclPolicy;
  /** The job's token; its accessor ID is not a secret (it cannot be used to authenticate). */
  readonly token: consul.AclToken;
  /** The Nomad Variable the job's template reads the token from. */
  readonly variable: nomad.Variable;

  constructor(name: string, args: ConsulAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rocketmq:system:ConsulAccess", name, {}, opts);
    const { policy, token, variable } = createConsulAccessChildren(name, this, args);
    this.policy = policy;
    this.token = token;
    this.variable = variable;
    this.registerOutputs({ policyName: policy.name, accessorId: token.accessorId });
  }
}

export interface ConsulAccessPerJobArgs {
  /** The stack's `consul.acl` settings: where Pulumi manages ACLs. */
  acl: StackConfig["consul"]["acl"];
  /**
   * Every job that gets a token (`aclConsumers(stackConfig)`).
   * @default none: ACLs off, nothing is created
   */
  consumers: readonly AclConsumer[];
  /**
   * The management token Pulumi creates policies and tokens with, a secret; called only when there is a
   * consumer, so a stack without ACLs needs none.
   */
  managementToken: () => pulumi.Input<string>;
}

/**
 * One ConsulAccess per token consumer, keyed by job name, all through one explicit Consul provider (the
 * default provider is never used, so a stray CONSUL_HTTP_TOKEN on the deploying machine cannot change who
 * creates them). Empty when ACLs are off.
 */
export function createConsulAccessPerJob(args: ConsulAccessPerJobArgs): Map<string, ConsulAccess> {
  const { acl, consumers } = args;
  if (!acl.enabled || consumers.length === 0) return new Map();
  const provider = new consul.Provider("consul-acl", {
    address: acl.apiAddress,
    scheme: acl.scheme,
    token: args.managementToken(),
    ...(acl.datacenter ? { datacenter: acl.datacenter } : {}),
  });
  return new Map(
    consumers.map((consumer) => [
      consumer.jobName,
      new ConsulAccess(`${consumer.jobName}-consul-access`, { consumer, datacenter: acl.datacenter }, { provider }),
    ]),
  );
}

/** What a job must wait for: the Nomad Variable holding its token (nothing without ACLs). */
export function tokenVariablesOf(access: ReadonlyMap<string, ConsulAccess>, jobName: string): nomad.Variable[] {
  const own = access.get(jobName);
  return own ? [own.variable] : [];
}
