// The Consul ACL tokens the agents of the images get at boot when `consul.acl.enabled`: none is ever baked into
// an image. Each token's rules are data here, so the generated headers, the policy documents and the tests that
// prove them on a default-deny Consul all read the same list.
import type { StackConfig } from "../../config";
import { CONSUL_HTTP_SERVICE } from "../../config";
import { CONSUL_BOOT_SERVICE_FILE } from "./consul-service";
import { agentHclString } from "./hcl1";
import { writeHcl, type HclEntry } from "./hcl-writer";

export interface AclRule {
  readonly resource: "agent_prefix" | "node_prefix" | "service" | "service_prefix";
  /** The name (`service`) or name prefix (`*_prefix`; "" matches every name). */
  readonly segment: string;
  readonly policy: "read" | "write";
}

/** A token the boot step hands an agent, and the rules its policy needs. */
export interface BootToken {
  /** Name of its ACL policy. */
  readonly name: string;
  /**
   * How the agent gets it at boot: as the Consul agent's `agent` token, as the token a service is registered
   * with (`consul services register`, which the agent keeps with the service), or in Nomad's token file.
   */
  readonly setAs: "agent" | "serviceRegistration" | "nomadTokenFile";
  readonly rules: readonly AclRule[];
}

/**
 * Where the boot step writes the Nomad agent's Consul token, as `consul { token = "<secret>" }`. Nomad loads
 * every *.hcl of its config directory, /etc/nomad.d, and merges this block with the image's `consul` block.
 */
export const NOMAD_CONSUL_TOKEN_FILE = "/etc/nomad.d/consul-token.hcl";

/** Every Consul agent: registers its own node and keeps its catalog entries in sync. */
export const CONSUL_AGENT_TOKEN: BootToken = {
  name: "consul-agent",
  setAs: "agent",
  rules: [
    { resource: "node_prefix", segment: "", policy: "write" },
    { resource: "service_prefix", segment: "", policy: "read" },
  ],
};

/**
 * Consul servers: registers consul_http, whose definition the image keeps outside /etc/consul.d
 * (CONSUL_BOOT_SERVICE_FILE) when ACLs are on. Consul 1.8 would register a config-file service with the
 * agent's `default` token, which is also what every token-less request runs under; so the default token
 * stays unset (token-less requests are anonymous, denied) and consul_http gets a token of its own. The agent
 * keeps that token with the service in data_dir and syncs the service and its check with it. The check
 * calls /v1/status/leader, which needs no token, so the policy needs nothing else.
 */
export const CONSUL_HTTP_SERVICE_TOKEN: BootToken = {
  name: "consul-http-service",
  setAs: "serviceRegistration",
  rules: [{ resource: "service", segment: CONSUL_HTTP_SERVICE, policy: "write" }],
};

/** Nomad servers and clients: register their own services (`<clusterName>-nomad`, …) and the jobs' with their checks. */
export const NOMAD_CONSUL_TOKEN: BootToken = {
  name: "nomad-agent",
  setAs: "nomadTokenFile",
  rules: [
    { resource: "agent_prefix", segment: "", policy: "read" },
    { resource: "node_prefix", segment: "", policy: "read" },
    { resource: "service_prefix", segment: "", policy: "write" },
  ],
};

/** The ACL policy document (rules) of a boot token, as `consul acl policy create -rules @file` reads it. */
export function aclPolicyHcl(token: BootToken): string {
  return writeHcl(
    token.rules.map((r): HclEntry => ({ block: r.resource, label: r.segment, body: [["policy", r.policy]] })),
    agentHclString,
  );
}

/** The boot step that hands the agent its token, with `<token>` standing for the secret. */
export function bootStep(token: BootToken): string {
  switch (token.setAs) {
    case "agent":
      return "consul acl set-agent-token agent <token>";
    case "serviceRegistration":
      return `consul services register -token=<token> ${CONSUL_BOOT_SERVICE_FILE}`;
    case "nomadTokenFile":
      return `write ${NOMAD_CONSUL_TOKEN_FILE} (root, mode 0600): consul { token = "<token>" }`;
    default: {
      const unreachable: never = token.setAs;
      throw new Error(`unknown token delivery ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Two lines per token for the generated files' headers: how it is set, then its policy's rules. */
function tokenLines(token: BootToken): string {
  const rules = token.rules.map((r) => `${r.resource} ${JSON.stringify(r.segment)} ${r.policy}`).join(", ");
  return `  ${bootStep(token)}\n    policy ${token.name}: ${rules}`;
}

/** The header paragraph of a Consul agent file: which tokens the boot step sets, empty without ACLs. */
export function consulAclHeader(cfg: StackConfig, tokens: readonly BootToken[]): string {
  if (!cfg.consul.acl.enabled) return "";
  return (
    "\nConsul ACLs are on (default deny) and no token is in this image. The boot step sets, with a token\n" +
    "allowed acl:write:\n" +
    tokens.map(tokenLines).join("\n") +
    "\nThe default token stays unset: a request without a token is anonymous and denied." +
    (tokens.some((t) => t.setAs === "serviceRegistration")
      ? `\n${CONSUL_HTTP_SERVICE} is registered with its own token (the agent keeps both in data_dir), so its\n` +
        "definition is outside this directory, not loaded from it."
      : "") +
    "\nenable_token_persistence keeps the agent token in data_dir across restarts."
  );
}

/** The header paragraph of a Nomad agent file: where its Consul token comes from, empty without ACLs. */
export function nomadAclHeader(cfg: StackConfig): string {
  if (!cfg.consul.acl.enabled) return "";
  return (
    "\nConsul ACLs are on and Nomad's Consul token is not in this image. The boot step gives it one, which\n" +
    "Nomad merges with the consul block below:\n" +
    tokenLines(NOMAD_CONSUL_TOKEN)
  );
}

/** The agent config's `acl` block when the cluster enforces ACLs; tokens arrive at boot, never from here. */
export function consulAclEntries(cfg: StackConfig): HclEntry[] {
  if (!cfg.consul.acl.enabled) return [];
  return [
    {
      block: "acl",
      body: [
        ["enabled", true],
        ["default_policy", "deny"],
        // Tokens set with `consul acl set-agent-token` survive a restart.
        ["enable_token_persistence", true],
      ],
    },
  ];
}
