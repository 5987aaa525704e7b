// Consul agent files for the images: the server config, the consul_http service, the client config.
import type { StackConfig } from "../../config";
import { agentHclString } from "./hcl1";
import { writeHcl } from "./hcl-writer";
import { generatedBy } from "./provenance";

/** The Consul service Prometheus discovers Consul servers by (the seed's name). */
export const CONSUL_HTTP_SERVICE = "consul_http";

// node_name is left out on purpose: each agent then takes its machine's hostname.
const PER_MACHINE =
  "Per machine: node_name is unset, so the agent uses the hostname; bind_addr is a go-sockaddr\n" +
  "template the agent evaluates when it starts.";

export function consulServerHcl(cfg: StackConfig, stack: string): string {
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
    ],
    agentHclString,
    `${generatedBy("Consul server agent config", stack)}\n${PER_MACHINE}`,
  );
}

/**
 * The service Prometheus scrapes Consul servers through. Its check calls the agent's own API on
 * loopback, so Consul's service discovery only hands Prometheus servers whose HTTP API answers.
 * `/v1/status/leader` needs no ACL token, so the check keeps working once ACLs default to deny.
 */
export function consulServiceJson(cfg: StackConfig): string {
  const httpPort = cfg.images.consulServer.httpPort;
  const service = {
    service: {
      name: CONSUL_HTTP_SERVICE,
      port: httpPort,
      tags: [`cluster-${cfg.clusterName}`, "http"],
      check: {
        id: CONSUL_HTTP_SERVICE,
        name: "Consul HTTP API",
        http: `http://127.0.0.1:${httpPort}/v1/status/leader`,
        interval: "10s",
        timeout: "2s",
      },
    },
  };
  return `${JSON.stringify(service, null, 2)}\n`;
}

/** The port of `consul.address`, the local agent Nomad, Fabio and Prometheus talk to. */
export function consulAddressPort(cfg: StackConfig): number {
  return Number(cfg.consul.address.slice(cfg.consul.address.lastIndexOf(":") + 1));
}

/**
 * The Consul client agent on every Nomad host. Fabio (host networking) reaches it on loopback at
 * `consul.address`; Prometheus runs in a bridge-networked container and reaches it at the node's own
 * address (NOMAD_IP_http), so it listens on both.
 */
export function consulClientHcl(cfg: StackConfig, stack: string): string {
  const consul = cfg.images.consul;
  return writeHcl(
    [
      ["datacenter", consul.datacenter],
      ["data_dir", consul.dataDir],
      ["retry_join", consul.retryJoin],
      ["bind_addr", consul.bindAddr],
      ["client_addr", `127.0.0.1 ${consul.bindAddr}`],
      { block: "ports", body: [["http", consulAddressPort(cfg)]] },
    ],
    agentHclString,
    `${generatedBy("Consul client agent config for Nomad hosts", stack)}\n${PER_MACHINE}\n` +
      "Nomad, Fabio and Prometheus reach this agent at the stack's consul.address.",
  );
}
