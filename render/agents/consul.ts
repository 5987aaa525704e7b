// Consul agent files for the images: the server config and the client config (consul_http's service file is
// in consul-service.ts).
import { consulAddressPort, isWildcardAddress } from "../../config";
import type { StackModel } from "../../model";
import { CONSUL_AGENT_TOKEN, CONSUL_HTTP_SERVICE_TOKEN, consulAclEntries, consulAclHeader } from "./agent-acl";
import { agentHclString } from "./hcl1";
import { writeHcl } from "./hcl-writer";
import { generatedBy } from "./provenance";

// node_name is left out on purpose: each agent then takes its machine's hostname.
const PER_MACHINE =
  "Per machine: node_name is unset, so the agent uses the hostname; bind_addr is a go-sockaddr\n" +
  "template the agent evaluates when it starts.";

export function consulServerHcl(model: StackModel): string {
  const cfg = model.config;
  const { consul, consulServer: server } = cfg.images;
  return writeHcl(
    [
      ["datacenter", consul.datacenter],
      ["data_dir", consul.dataDir],
      ["server", true],
      ["bootstrap_expect", server.bootstrapExpect],
      ["retry_join", consul.retryJoin],
      ["ui", server.ui],
      ["client_addr", server.clientAddr],
      ["bind_addr", consul.bindAddr],
      { block: "ports", body: [["http", server.httpPort]] },
      {
        block: "telemetry",
        body: [
          ["prometheus_retention_time", server.prometheusRetentionTime],
          // One series per metric across servers; the scrape target's labels say which server it was.
          ["disable_hostname", true],
        ],
      },
      ...consulAclEntries(cfg),
    ],
    agentHclString,
    `${generatedBy("Consul server agent config", model)}\n${PER_MACHINE}` +
      consulAclHeader(cfg, [CONSUL_AGENT_TOKEN, CONSUL_HTTP_SERVICE_TOKEN]),
  );
}

/**
 * `client_addr` of the Consul client on Nomad hosts: loopback (where Fabio finds it at `consul.address`) and
 * the node's address (where containers on a bridge network find it). Consul binds each listed address, so a
 * wildcard bind address stands alone (it covers loopback, and binding both fails with "address already in
 * use"), and loopback is listed once.
 */
export function consulClientAddr(bindAddr: string): string {
  if (isWildcardAddress(bindAddr)) return bindAddr;
  return [...new Set(["127.0.0.1", bindAddr])].join(" ");
}

/**
 * The Consul client agent on every Nomad host. Fabio (host networking) reaches it on loopback at
 * `consul.address`; Prometheus may reach it at the node's own address, so it listens on both.
 */
export function consulClientHcl(model: StackModel): string {
  const cfg = model.config;
  const consul = cfg.images.consul;
  return writeHcl(
    [
      ["datacenter", consul.datacenter],
      ["data_dir", consul.dataDir],
      ["retry_join", consul.retryJoin],
      ["bind_addr", consul.bindAddr],
      ["client_addr", consulClientAddr(consul.bindAddr)],
      { block: "ports", body: [["http", consulAddressPort(cfg)]] },
      ...consulAclEntries(cfg),
    ],
    agentHclString,
    `${generatedBy("Consul client agent config for Nomad hosts", model)}\n${PER_MACHINE}\n` +
      "Nomad, Fabio and Prometheus reach this agent at the stack's consul.address." +
      consulAclHeader(cfg, [CONSUL_AGENT_TOKEN]),
  );
}
