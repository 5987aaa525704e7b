// Nomad agent configs for the images: servers, and the clients that run on NameServer hosts.
import type { NameServerHosts, StackConfig } from "../../config";
import type { StackModel } from "../../model";
import { nomadAclHeader } from "./agent-acl";
import { agentHclString } from "./hcl1";
import { writeHcl, type HclEntry } from "./hcl-writer";
import { generatedBy } from "./provenance";

const PER_MACHINE =
  "Per machine: name is unset, so the agent uses the hostname; the advertise addresses are go-sockaddr\n" +
  "templates the agent evaluates when it starts. Servers and clients find each other through the local\n" +
  "Consul agent (consul.server_auto_join / client_auto_join, on by default), under this stack's service names.";

/**
 * Datacenter of the Nomad servers: `images.nomadServer.datacenter`, else the first job datacenter. Servers
 * serve the whole region, wherever they sit; only clients need one image per datacenter.
 */
export function nomadServerDatacenter(cfg: StackConfig): string {
  return cfg.images.nomadServer.datacenter ?? cfg.nomad.datacenters[0]!;
}

function agentBasics(cfg: StackConfig, datacenter: string): HclEntry[] {
  const nomad = cfg.images.nomad;
  return [
    ["region", cfg.nomad.region],
    ["datacenter", datacenter],
    ["data_dir", nomad.dataDir],
    ["bind_addr", nomad.bindAddr],
    {
      block: "advertise",
      body: [
        ["http", nomad.advertiseAddr],
        ["rpc", nomad.advertiseAddr],
        ["serf", nomad.advertiseAddr],
      ],
    },
  ];
}

function consulAndTelemetry(model: StackModel): HclEntry[] {
  const cfg = model.config;
  return [
    // The same local agent the jobs' Fabios and Prometheus use.
    {
      block: "consul",
      body: [
        ["address", cfg.consul.address],
        // Per stack, so another stack's agents on the same Consul neither join this Nomad cluster nor show up
        // in this stack's scrape jobs.
        ["server_service_name", model.nomadServerService],
        ["client_service_name", model.nomadClientService],
        ["tags", [model.clusterTag]],
      ],
    },
    {
      block: "telemetry",
      body: [
        ["collection_interval", cfg.images.nomad.collectionInterval],
        ["disable_hostname", true],
        // Serves /v1/metrics?format=prometheus, which Prometheus scrapes.
        ["prometheus_metrics", true],
        ["publish_allocation_metrics", true],
        ["publish_node_metrics", true],
      ],
    },
  ];
}

export function nomadServerHcl(model: StackModel): string {
  const cfg = model.config;
  return writeHcl(
    [
      ...agentBasics(cfg, nomadServerDatacenter(cfg)),
      {
        block: "server",
        body: [
          ["enabled", true],
          ["bootstrap_expect", cfg.images.nomadServer.bootstrapExpect],
        ],
      },
      ...consulAndTelemetry(model),
    ],
    agentHclString,
    `${generatedBy("Nomad server agent config", model)}\n${PER_MACHINE}${nomadAclHeader(cfg)}`,
  );
}

/** How the client marks itself as a NameServer host: the attribute the Fabio jobs' constraint reads. */
function nameServerHostMark(hosts: NameServerHosts): HclEntry {
  switch (hosts.by) {
    case "nodeClass":
      return ["node_class", hosts.nodeClass];
    case "meta":
      return ["meta", { map: { [hosts.key]: hosts.value } }];
    default: {
      const unreachable: never = hosts;
      throw new Error(`unknown host selection ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A Nomad client host volume: a directory on the machine a job's group can mount by name. */
export interface HostVolume {
  name: string;
  path: string;
}

/**
 * The host volume Prometheus' TSDB lives on when `prometheus.storage` is one: named by that config, at
 * `images.nomad.prometheusVolumePath`. Without it in the client config, Nomad finds no host for the job
 * ("missing compatible host volumes").
 */
export function prometheusHostVolume(cfg: StackConfig): HostVolume | undefined {
  const storage = cfg.prometheus.storage;
  switch (storage.kind) {
    case "hostVolume":
      return { name: storage.volume, path: cfg.images.nomad.prometheusVolumePath };
    case "ephemeralDisk":
      return undefined;
    default: {
      const unreachable: never = storage;
      throw new Error(`unknown Prometheus storage ${JSON.stringify(unreachable)}`);
    }
  }
}

function hostVolumeBlocks(cfg: StackConfig): HclEntry[] {
  const volume = prometheusHostVolume(cfg);
  if (volume === undefined) return [];
  return [
    {
      block: "host_volume",
      label: volume.name,
      body: [
        ["path", volume.path],
        ["read_only", false],
      ],
    },
  ];
}

function hostVolumeHeader(cfg: StackConfig): string {
  if (prometheusHostVolume(cfg) === undefined) return "";
  return (
    "\nThe host_volume holds Prometheus' TSDB (prometheus.storage). Nomad refuses to start while its path is\n" +
    "missing: the image build creates it for uid 65534 (nobody, the prom/prometheus user)."
  );
}

/**
 * A Nomad client on a NameServer host of one datacenter (one of `nomad.datacenters`): selected by the Fabio
 * system jobs through `nameServerHosts`.
 */
export function nomadClientHcl(model: StackModel, datacenter: string): string {
  const cfg = model.config;
  return writeHcl(
    [
      ...agentBasics(cfg, datacenter),
      {
        block: "client",
        body: [["enabled", true], nameServerHostMark(cfg.nameServerHosts), ...hostVolumeBlocks(cfg)],
      },
      ...consulAndTelemetry(model),
    ],
    agentHclString,
    `${generatedBy(`Nomad client agent config for NameServer hosts in datacenter ${datacenter}`, model)}\n${PER_MACHINE}` +
      hostVolumeHeader(cfg) +
      nomadAclHeader(cfg),
  );
}

/** The file `nomad agent -dev` reads in the local quick start (README): one node, server and NameServer host. */
export const NOMAD_DEV_AGENT_FILE = "nomad-dev-agent.hcl";

/**
 * A local `nomad agent -dev` as a member of the stack: registered in Consul under the stack's service names
 * with its cluster tag, serving the telemetry Prometheus scrapes, its client a NameServer host. `-dev` supplies
 * what belongs to one machine (loopback addresses, an in-memory data dir, a single server); the rest comes from
 * the same blocks the images carry.
 */
export function nomadDevAgentHcl(model: StackModel): string {
  const cfg = model.config;
  const what = "Nomad agent config for `nomad agent -dev` on a workstation (the README's quick start)";
  return writeHcl(
    [
      ["region", cfg.nomad.region],
      ["datacenter", cfg.nomad.datacenters[0]!],
      { block: "client", body: [nameServerHostMark(cfg.nameServerHosts), ...hostVolumeBlocks(cfg)] },
      ...consulAndTelemetry(model),
    ],
    agentHclString,
    `${generatedBy(what, model)}\n` +
      "Not part of any image: -dev binds loopback, keeps its data in memory and runs one server that is also\n" +
      "the NameServer host the Fabio jobs select." +
      hostVolumeHeader(cfg) +
      (cfg.consul.acl.enabled
        ? "\nConsul ACLs are on: give the agent a Consul token in one more -config file (consul { token = … })."
        : ""),
  );
}
