// Stack config of the Consul and Nomad agent files baked into machine images (packer/).
// The cluster name, the NameServer host selection, the Nomad region and the Consul address the jobs use
// are read from the top-level keys; only what exists on the machines alone is defined here.
import { z } from "zod";
import { consulVersion, DEFAULT_AGENT_VERSIONS, nomadVersion } from "./agent-versions";
import { parseGoDuration } from "./durations";
import { port, safeToken, uniqueList } from "./primitives";
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._/-]*$/;
// An IP literal, or one go-sockaddr template that the agent evaluates at start, e.g. {{ GetPrivateIP }}.
const AGENT_ADDRESS = /^(?:[0-9A-Fa-f.:]+|\{\{ [^{}\n\r\\]+ \}\})$/;
// A host, host:port or a go-discover "provider=… key=value" string (no quotes or backslashes).
const JOIN_TARGET = /^[A-Za-z0-9[\]][A-Za-z0-9_.:=/@+ [\]-]*$/;

/** A Go duration above zero, such as `10s` or `1m30s`: Go's time.ParseDuration syntax, which Consul and Nomad use. */
const GO_DURATION_RULE = 'must be a duration such as "10s" or "1m30s"';
export const goDuration = z
  .string({ error: GO_DURATION_RULE })
  .refine((d) => parseGoDuration(d) !== undefined, GO_DURATION_RULE)
  .refine((d) => (parseGoDuration(d) ?? 1) > 0, "must be a duration above zero");

const absolutePath = z.string().regex(ABSOLUTE_PATH, "must be an absolute path such as /opt/consul");

/** Where an agent binds or advertises: an IP, or a go-sockaddr template the agent evaluates at boot. */
export const agentAddress = z
  .string()
  .regex(AGENT_ADDRESS, 'must be an IP address or a go-sockaddr template such as "{{ GetPrivateIP }}"');

/**
 * Whether an agent address is the unspecified address of IPv4 or IPv6 (`0.0.0.0`, `::`, `::0`, …), on which a
 * listener covers every local address. A go-sockaddr template is never one here: it is evaluated at boot.
 */
export function isWildcardAddress(address: string): boolean {
  return /^[0.:]+$/.test(address) && /0|::/.test(address);
}

/** Whether an address is on the loopback network (127.0.0.0/8 or ::1), reachable from the same host only. */
export function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || /^(?:0{0,4}:){2,7}0{0,3}1$/.test(address);
}

const BOOTSTRAP_RULE = "must be a number of servers, 1 or more";
const bootstrapExpect = z.number({ error: BOOTSTRAP_RULE }).int(BOOTSTRAP_RULE).min(1, BOOTSTRAP_RULE);

const consul = z.strictObject({
  /**
   * The Consul release (`1.8.7`) or release line (`1.16`: any 1.16.x) every image runs; the image builds refuse a
   * source image with another. Consul 1.8.x or 1.13 and later: the leader alert reads how those report it.
   */
  version: consulVersion.default(DEFAULT_AGENT_VERSIONS.consul),
  /** Consul datacenter of every agent in the images. */
  datacenter: safeToken.default("dc1"),
  /**
   * Consul servers every agent joins at boot (`retry_join`): addresses, host names or go-discover
   * strings, each listed once. Empty (Consul's own default) leaves joining to an operator's `consul join`.
   */
  retryJoin: uniqueList(
    z.string().regex(JOIN_TARGET, "must be a host, host:port or go-discover string"),
    "server",
  ).default([]),
  /** `data_dir` of every Consul agent, an absolute path. */
  dataDir: absolutePath.default("/opt/consul"),
  /**
   * Cluster (serf/RPC) address: an IP or a go-sockaddr template resolved on the machine at boot. A wildcard
   * makes the client agent listen on it alone (it covers loopback).
   */
  bindAddr: agentAddress.default("{{ GetPrivateIP }}"),
});

const consulServer = z.strictObject({
  /** Number of Consul servers that must join before the first leader election. */
  bootstrapExpect: bootstrapExpect.default(3),
  /** Serve the web UI on the HTTP port. */
  ui: z.boolean().default(true),
  /**
   * Addresses the HTTP/DNS APIs listen on (space-separated). Must include 0.0.0.0 or 127.0.0.1: the
   * consul_http health check calls the agent on loopback.
   */
  clientAddr: z
    .string()
    .regex(/^[0-9A-Fa-f.:]+(?: [0-9A-Fa-f.:]+)*$/, "must be IP addresses separated by spaces")
    .refine(
      (addrs) => addrs.split(" ").some((a) => a === "0.0.0.0" || a === "127.0.0.1"),
      "must include 0.0.0.0 or 127.0.0.1: the consul_http check calls the agent on 127.0.0.1",
    )
    // Consul binds every listed address: a wildcard already covers the others, so listing both makes the
    // second bind fail with "address already in use" and the agent exits at start.
    .refine(
      (addrs) => addrs.split(" ").length === 1 || !addrs.split(" ").some(isWildcardAddress),
      "must be a wildcard (0.0.0.0 or ::) alone or specific addresses only: Consul binds each one and a wildcard already covers the rest",
    )
    .refine(
      (addrs) => new Set(addrs.split(" ")).size === addrs.split(" ").length,
      "must not list an address twice (Consul would bind it twice and fail to start)",
    )
    // Prometheus scrapes consul_http from another host at the server's node address. Listening on loopback
    // alone, the API answers there for no one, and no address consul_http could register would help.
    .refine(
      (addrs) => addrs.split(" ").some((a) => !isLoopbackAddress(a)),
      "must include an address other hosts reach (0.0.0.0 or the server's own IP): Prometheus scrapes consul_http from another host, and an API on loopback alone answers no one there",
    )
    .default("0.0.0.0"),
  /** HTTP API port, also the port of the `consul_http` service Prometheus scrapes; no Fabio may use it. */
  httpPort: port.default(8500),
  /**
   * How long Consul keeps a metric for /v1/agent/metrics?format=prometheus: a Go duration above zero (unset or
   * `0s`, that path answers 415).
   */
  prometheusRetentionTime: goDuration.default("10s"),
});

const nomad = z.strictObject({
  /**
   * The Nomad release (`1.4.3`) or release line (`1.4`: any 1.4.x) every image runs; the image builds refuse a
   * source image with another. Nomad 1.4 and later: Nomad Variables deliver the jobs' Consul tokens.
   */
  version: nomadVersion.default(DEFAULT_AGENT_VERSIONS.nomad),
  /** `data_dir` of every Nomad agent, an absolute path. */
  dataDir: absolutePath.default("/opt/nomad"),
  /** Address the HTTP, RPC and serf listeners bind to: an IP or a go-sockaddr template. */
  bindAddr: agentAddress.default("0.0.0.0"),
  /** Address advertised to the cluster for HTTP, RPC and serf, resolved on the machine at boot. */
  advertiseAddr: agentAddress.default("{{ GetPrivateIP }}"),
  /** `telemetry.collection_interval` of servers and clients, a Go duration above zero. */
  collectionInterval: goDuration.default("1s"),
  /**
   * Directory of the Nomad client's `host_volume` for Prometheus' TSDB, declared when `prometheus.storage`
   * is a host volume (the volume's name comes from there). The image build creates it for the
   * prom/prometheus image's user, nobody (uid 65534).
   */
  prometheusVolumePath: absolutePath.default("/opt/prometheus"),
});

const nomadServer = z.strictObject({
  /** Number of Nomad servers that must join (found through Consul) before the first leader election. */
  bootstrapExpect: bootstrapExpect.default(3),
  /**
   * Datacenter of the Nomad servers; unset, the first of `nomad.datacenters`. The servers serve the whole
   * region, so there is one server image per stack; client images are rendered for every job datacenter.
   */
  datacenter: safeToken.optional(),
});

export const imagesSchema = z.strictObject({
  /** Every Consul agent of the images, servers and clients. */
  consul: consul.prefault({}),
  /** The Consul server image. */
  consulServer: consulServer.prefault({}),
  /** Every Nomad agent of the images, servers and clients. */
  nomad: nomad.prefault({}),
  /** The Nomad server image. */
  nomadServer: nomadServer.prefault({}),
});

export type ImagesConfig = z.infer<typeof imagesSchema>;
