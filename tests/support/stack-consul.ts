// A test Consul that enforces the stack's ACLs, with a token per Fabio as production delivers it.
import { randomUUID } from "node:crypto";
import type { StackConfig } from "../../config";
import { aclConsumers, renderArtifacts, TOKEN_ITEM } from "../../render";
import { startConsul, type ConsulAgent } from "./consul";
import type { NomadVariables } from "./fabio-task";
import { http, waitFor } from "./processes";
import { modelOf } from "./stack";

export interface StackConsul {
  agent: ConsulAgent;
  /** Registers services when the agent denies anonymous writes. */
  managementToken?: string;
  /** What each Fabio's Nomad Variable would hold: its own token, for its template to render. */
  variables: NomadVariables;
}

/**
 * The test Consul for a stack. When the stack runs Consul with ACLs, so does this one (default deny), and
 * each Fabio gets a token for exactly the policy the render CLI writes for it (consul-acl/<policy>.hcl),
 * delivered the way production does: as the Nomad Variable item its template reads.
 */
export async function startStackConsul(cfg: StackConfig, stack: string): Promise<StackConsul> {
  if (!cfg.consul.acl.enabled) return { agent: await startConsul(), variables: {} };
  const management = randomUUID();
  const agent = await startConsul({
    extraHcl: [
      'acl {\n  enabled = true\n  default_policy = "deny"\n  enable_token_persistence = false',
      `  tokens {\n    master = "${management}"\n    agent = "${management}"\n  }\n}\n`,
    ].join("\n"),
  });
  // The leader creates the master token just after its election, which is all startConsul waits for.
  await waitFor(
    "Consul's ACL system to accept the management token",
    async () => {
      const self = await http(`${agent.url}/v1/acl/token/self`, { headers: { "X-Consul-Token": management } });
      return self.status === 200 ? true : undefined;
    },
    { process: agent.process, timeoutMs: 15_000 },
  );
  const asAdmin = async (route: string, body: unknown): Promise<string> => {
    const response = await http(`${agent.url}${route}`, {
      method: "PUT",
      body,
      headers: { "X-Consul-Token": management },
    });
    if (response.status !== 200) throw new Error(`PUT ${route}: ${response.status} ${response.text}`);
    return response.text;
  };
  const files = new Map(renderArtifacts(modelOf(cfg, stack)).map((artifact) => [artifact.path, artifact.content]));
  const variables: NomadVariables = {};
  for (const consumer of aclConsumers(modelOf(cfg)).filter((candidate) => candidate.kind === "fabio")) {
    const rules = files.get(`consul-acl/${consumer.policyName}.hcl`);
    if (rules === undefined) throw new Error(`the render CLI writes no consul-acl/${consumer.policyName}.hcl`);
    await asAdmin("/v1/acl/policy", { Name: consumer.policyName, Rules: rules });
    const token = await asAdmin("/v1/acl/token", { Policies: [{ Name: consumer.policyName }] });
    variables[consumer.variablePath] = {
      [TOKEN_ITEM]: (JSON.parse(token) as { SecretID: string }).SecretID,
    };
  }
  return { agent, managementToken: management, variables };
}
