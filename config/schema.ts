// The stack config schema: the only place a config key is defined, with its default and its checks.
import { z } from "zod";
import { AGENT_PORTS, consulAddressPort, type AgentPort } from "./agent-ports";
import {
  ACL_POLICY_NAME_MAX,
  aclPolicyName,
  discoveredServices,
  DISCOVERY_PURPOSES,
  fabioMetricsService,
  type DiscoveryNames,
  type DiscoveryPurpose,
} from "./naming";
import { dnsName, hostPort, nodeMetaKey, pinnedImage, port, resources, safeToken, uniqueList } from "./primitives";
import { alertmanagerService } from "./alerting-schema";
import { prometheusSchema } from "./prometheus-schema";
import { imagesSchema } from "./images-schema";

const nomad = z.strictObject({
  /** Nomad region the jobs are submitted to. */
  region: safeToken.default("global"),
  /** Datacenters the jobs may be placed in. */
  datacenters: uniqueList(safeToken, "datacenter").min(1, "must list at least one datacenter").default(["dc1"]),
});

/** How NameServer hosts are picked out of the Nomad clients. */
const nameServerHosts = z.discriminatedUnion("by", [
  z.strictObject({ by: z.literal("nodeClass"), nodeClass: safeToken }),
  z.strictObject({ by: z.literal("meta"), key: nodeMetaKey, value: safeToken }),
]);

/** Consul ACLs: when on, each consumer gets a least-privilege token delivered through a Nomad Variable. */
const consulAcl = z.strictObject({
  /** Whether the Consul cluster enforces ACLs (default deny). */
  enabled: z.boolean().default(false),
  /** Consul HTTP API that Pulumi manages policies and tokens through (from where `pulumi up` runs). */
  apiAddress: hostPort.optional(),
  /** Scheme of that API. */
  scheme: z.enum(["http", "https"]).default("https"),
  /** Consul datacenter the policies and tokens are created in; the agent's own when unset. */
  datacenter: safeToken.optional(),
});

const consul = z.strictObject({
  /** Address of the Consul agent Fabio and Prometheus talk to (the local agent on host networking). */
  address: hostPort.default("127.0.0.1:8500"),
  acl: consulAcl.prefault({}),
  /**
   * The cluster whose Consul servers this stack's Prometheus scrapes: their `consul_http` carries the tag
   * `cluster-<name>` of the stack whose image they run. Unset, this stack's own `clusterName`; on a Consul
   * datacenter shared with another stack that built the servers, that stack's `clusterName`.
   */
  serverCluster: dnsName.optional(),
});

/** The two Fabios on every NameServer host, in the order their jobs are rendered: the keys of `fabio` besides `image`. */
export const FABIO_ROLES = ["nameServerIndex", "prometheus"] as const;
export type FabioRole = (typeof FABIO_ROLES)[number];

function fabioInstance(defaults: {
  jobName: string;
  proxyPort: number;
  uiPort: number;
  metricsPort: number;
  tagPrefix: string;
}) {
  return z
    .strictObject({
      /** Nomad job ID, also the Consul service name Nomad registers for this Fabio. */
      jobName: dnsName
        .refine((name) => name.length <= 55, "must be at most 55 characters (its metrics service is <jobName>-metrics)")
        .default(defaults.jobName),
      /** Static host port of the HTTP proxy. */
      proxyPort: port.default(defaults.proxyPort),
      /** Static host port of the UI/admin API (/health, /api/routes, /metrics). */
      uiPort: port.default(defaults.uiPort),
      /** Static host port of the Prometheus metrics listener (Fabio serves metrics only on a proxy listener). */
      metricsPort: port.default(defaults.metricsPort),
      /** Consul tag prefix this Fabio builds routes from. */
      tagPrefix: safeToken.default(defaults.tagPrefix),
      resources: resources({ cpu: 200, memory: 128, minMemory: 16 }).prefault({}),
    })
    .prefault({});
}

const fabio = z.strictObject({
  /** Fabio container image, pinned. */
  image: pinnedImage.default("fabiolb/fabio:1.6.3"),
  /** The Fabio RocketMQ clients query for NameServer addresses. */
  nameServerIndex: fabioInstance({
    jobName: "fabio-nameserver-index",
    proxyPort: 8080,
    uiPort: 9998,
    metricsPort: 9997,
    tagPrefix: "rmq-nsindex-",
  }),
  /** The Fabio that fronts Prometheus. */
  prometheus: fabioInstance({
    jobName: "fabio-prometheus",
    proxyPort: 9090,
    uiPort: 9999,
    metricsPort: 9996,
    tagPrefix: "rmq-prometheus-",
  }),
});

const stackConfigShape = z.strictObject({
  /** Name of the platform cluster, used in `cluster-<name>` tags and the `cluster` metric label. */
  clusterName: z
    .string()
    .min(1, "is empty: Pulumi passes an empty or null value (`~`, `null`) as empty text; name the cluster")
    .pipe(dnsName),
  nomad: nomad.prefault({}),
  nameServerHosts: nameServerHosts.default({ by: "nodeClass", nodeClass: "nameServer" }),
  consul: consul.prefault({}),
  fabio: fabio.prefault({}),
  // No prometheus mapping still gets every default but one: `alerting` has none, and its absence is reported.
  prometheus: prometheusSchema.prefault({} as z.input<typeof prometheusSchema>),
  images: imagesSchema.prefault({}),
});

export type StackConfig = z.infer<typeof stackConfigShape>;

export const stackConfigSchema = stackConfigShape
  .superRefine(checkFabioPair)
  .superRefine(checkAgentPorts)
  .superRefine(checkServiceNames)
  .superRefine(checkConsulAcl)
  .superRefine(checkPrometheusHostVolume);
export type FabioInstanceConfig = StackConfig["fabio"][FabioRole];
export type NameServerHosts = StackConfig["nameServerHosts"];

type Ctx = z.RefinementCtx;

/** The six static ports of the two Fabios, with their config key paths. */
function fabioPorts(cfg: StackConfig): { path: (string | number)[]; value: number }[] {
  return FABIO_ROLES.flatMap((role) =>
    (["proxyPort", "uiPort", "metricsPort"] as const).map((which) => ({
      path: ["fabio", role, which],
      value: cfg.fabio[role][which],
    })),
  );
}

/**
 * A Fabio port taken by the Consul or Nomad agent on the same host would make the Fabio fail to bind and
 * crash-loop on every host: the agents' ports (AGENT_PORTS), the Consul client's HTTP port (`consul.address`)
 * and the Consul server's (`images.consulServer.httpPort`).
 */
function checkAgentPorts(cfg: StackConfig, ctx: Ctx): void {
  const taken: AgentPort[] = [
    ...AGENT_PORTS,
    { port: consulAddressPort(cfg), agent: "the Consul agent's HTTP API (consul.address)" },
    { port: cfg.images.consulServer.httpPort, agent: "the Consul server's HTTP API (images.consulServer.httpPort)" },
  ];
  for (const { path, value } of fabioPorts(cfg)) {
    const agent = taken.find((candidate) => candidate.port === value);
    if (agent !== undefined) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `port ${value} is ${agent.agent} on the same host; choose a port no Consul or Nomad agent listens on`,
      });
    }
  }
}

/**
 * The services the jobs register must not be one Prometheus discovers for another purpose: a Prometheus job
 * named `nomad` would be scraped as a Nomad server, and the self-scrape job would find the Nomad servers.
 */
function checkServiceNames(cfg: StackConfig, ctx: Ctx): void {
  const discovered = discoveredServices(discoveryNames(cfg));
  const registered: { path: (string | number)[]; name: string; purpose?: DiscoveryPurpose }[] = [
    { path: ["prometheus", "jobName"], name: cfg.prometheus.jobName, purpose: "prometheus" },
    ...FABIO_ROLES.flatMap((role) => [
      // Each Fabio's own service (its UI's health check), which no scrape job is meant to find.
      { path: ["fabio", role, "jobName"], name: cfg.fabio[role].jobName },
      {
        path: ["fabio", role, "jobName"],
        name: fabioMetricsService(cfg.fabio[role].jobName),
        purpose: "fabios" as const,
      },
    ]),
  ];
  for (const { path, name, purpose } of registered) {
    const clash = (Object.keys(discovered) as DiscoveryPurpose[]).find(
      (other) => other !== purpose && discovered[other].includes(name),
    );
    if (clash !== undefined) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `"${name}" is the Consul service Prometheus discovers ${DISCOVERY_PURPOSES[clash]} by, so it would be scraped as one of them; choose another name`,
      });
      return;
    }
  }
}

/** What the discovered services of a stack are named after (the stack model resolves the same). */
export function discoveryNames(cfg: StackConfig): DiscoveryNames {
  return {
    clusterName: cfg.clusterName,
    fabioJobNames: FABIO_ROLES.map((role) => cfg.fabio[role].jobName),
    prometheusJobName: cfg.prometheus.jobName,
    alertmanagerService: alertmanagerService(cfg.prometheus.alerting),
  };
}

/** The two Fabios share every NameServer host: ports, names and tag prefixes must not collide. */
function checkFabioPair(cfg: StackConfig, ctx: Ctx): void {
  const ports = fabioPorts(cfg);
  ports.forEach((p, i) => {
    const earlier = ports.slice(0, i).find((q) => q.value === p.value);
    if (earlier) {
      ctx.addIssue({
        code: "custom",
        path: p.path,
        message: `port ${p.value} is already used by fabio.${earlier.path.slice(1).join(".")} on the same host`,
      });
    }
  });

  const index = cfg.fabio.nameServerIndex;
  const prom = cfg.fabio.prometheus;
  const prometheusJob = cfg.prometheus.jobName;
  if (prometheusJob === index.jobName || prometheusJob === prom.jobName) {
    ctx.addIssue({
      code: "custom",
      path: ["prometheus", "jobName"],
      message: `"${prometheusJob}" is also a Fabio's job name; Nomad job IDs and Consul service names must differ`,
    });
  }
  if (index.jobName === prom.jobName) {
    ctx.addIssue({
      code: "custom",
      path: ["fabio", "prometheus", "jobName"],
      message: `"${prom.jobName}" is also the NameServer-index Fabio's job name; each Fabio needs its own`,
    });
  }
  if (prom.tagPrefix.startsWith(index.tagPrefix)) {
    ctx.addIssue({
      code: "custom",
      path: ["fabio", "prometheus", "tagPrefix"],
      message: `"${prom.tagPrefix}" starts with the other Fabio's prefix "${index.tagPrefix}", so its routes would leak into the NameServer-index Fabio`,
    });
  } else if (index.tagPrefix.startsWith(prom.tagPrefix)) {
    ctx.addIssue({
      code: "custom",
      path: ["fabio", "nameServerIndex", "tagPrefix"],
      message: `"${index.tagPrefix}" starts with the other Fabio's prefix "${prom.tagPrefix}", so its routes would leak into the Prometheus Fabio`,
    });
  }
}

function checkConsulAcl(cfg: StackConfig, ctx: Ctx): void {
  if (cfg.consul.acl.enabled && cfg.consul.acl.apiAddress === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["consul", "acl", "apiAddress"],
      message: "is required when consul.acl.enabled is true (the Consul API Pulumi creates ACL policies through)",
    });
  }
  const jobs = [...FABIO_ROLES.map((role) => cfg.fabio[role].jobName), cfg.prometheus.jobName];
  const longest = jobs.reduce((a, b) => (b.length > a.length ? b : a));
  const policyLength = aclPolicyName(cfg.clusterName, longest).length;
  if (cfg.consul.acl.enabled && policyLength > ACL_POLICY_NAME_MAX) {
    ctx.addIssue({
      code: "custom",
      path: ["clusterName"],
      message: `is too long with Consul ACLs on: the ACL policy for job "${longest}" would have a ${policyLength}-character name, and Consul allows ${ACL_POLICY_NAME_MAX}`,
    });
  }
}

/**
 * A Prometheus host volume exists only where the images declare it: the NameServer hosts' Nomad client
 * config (render/agents/nomad.ts). Placed on other hosts, Prometheus would find none ("missing compatible
 * host volumes"). Any host is fine: Nomad then picks one that has the volume.
 */
function checkPrometheusHostVolume(cfg: StackConfig, ctx: Ctx): void {
  const { storage, placement } = cfg.prometheus;
  if (storage.kind !== "hostVolume") return;
  const hosts = cfg.nameServerHosts;
  const onImageHosts =
    placement.by === "nameServerHosts" ||
    placement.by === "anyHost" ||
    (placement.by === "nodeClass" && hosts.by === "nodeClass" && placement.nodeClass === hosts.nodeClass) ||
    (placement.by === "meta" && hosts.by === "meta" && placement.key === hosts.key && placement.value === hosts.value);
  if (!onImageHosts) {
    ctx.addIssue({
      code: "custom",
      path: ["prometheus", "placement"],
      message: `selects hosts other than the NameServer hosts, but only their Nomad client image declares the host volume "${storage.volume}" (prometheus.storage); place Prometheus by nameServerHosts or anyHost, or use ephemeralDisk storage`,
    });
  }
}
