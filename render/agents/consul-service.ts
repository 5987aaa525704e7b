// consul_service.json: the service Prometheus discovers Consul servers by.
import type { StackConfig } from "../../config";

/** The Consul service Prometheus discovers Consul servers by (the seed's name). */
export const CONSUL_HTTP_SERVICE = "consul_http";

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
