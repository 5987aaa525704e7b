// consul_service.json / consul_service.boot.json: the service Prometheus discovers Consul servers by.
import { CONSUL_HTTP_SERVICE, isLoopbackAddress, isWildcardAddress, type StackConfig } from "../../config";
import type { StackModel } from "../../model";

/**
 * The image file that defines consul_http. Without ACLs it sits in /etc/consul.d and the agent loads it. With
 * ACLs on it must not: Consul 1.8 registers config-file services with the agent's `default` token, which
 * token-less requests also run under. So the image keeps it outside the config directory, at
 * CONSUL_BOOT_SERVICE_FILE, and the boot step registers it with consul_http's own token.
 */
export function consulServiceFileName(cfg: StackConfig): string {
  return cfg.consul.acl.enabled ? CONSUL_BOOT_SERVICE_FILE_NAME : "consul_service.json";
}

export const CONSUL_BOOT_SERVICE_FILE_NAME = "consul_service.boot.json";

/** Where the consul-server image keeps consul_http's definition when ACLs are on (root, mode 0640). */
export const CONSUL_BOOT_SERVICE_FILE = `/etc/consul-boot/${CONSUL_BOOT_SERVICE_FILE_NAME}`;

/**
 * Where other hosts reach the server's HTTP API, which consul_http registers at. Listening on a wildcard, the
 * API answers at the node address (bind_addr), which Consul hands out when the service names none. Listening
 * on specific addresses, the node address may not be among them: the first one other hosts reach is named.
 * (The config refuses a list of loopback addresses alone.)
 */
export function consulHttpServiceAddress(clientAddr: string): string | undefined {
  const addresses = clientAddr.split(" ");
  if (addresses.some(isWildcardAddress)) return undefined;
  return addresses.find((address) => !isLoopbackAddress(address));
}

/**
 * The service Prometheus scrapes Consul servers through. Its check calls the agent's own API on
 * loopback, so Consul's service discovery only hands Prometheus servers whose HTTP API answers.
 * `/v1/status/leader` needs no ACL token, so the check keeps working once ACLs default to deny. The
 * definition never carries a token: with ACLs on, the boot step supplies one when it registers it.
 */
export function consulServiceJson(model: StackModel): string {
  const cfg = model.config;
  const httpPort = cfg.images.consulServer.httpPort;
  const address = consulHttpServiceAddress(cfg.images.consulServer.clientAddr);
  const service = {
    service: {
      name: CONSUL_HTTP_SERVICE,
      ...(address === undefined ? {} : { address }),
      port: httpPort,
      tags: [model.clusterTag, "http"],
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
