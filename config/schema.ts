// The stack config schema: the only place a config key is defined, with its default and its checks.
import { z } from "zod";
import { AGENT_PORTS, consulAddressPort, type AgentPort } from "./agent-ports";
import {
  ACL_POLICY_NAME_MAX,
  aclPolicyName,
  alertmanagerPeersService,
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
  /** Nomad region the jobs are submitted to: letters, digits, `.`, `_` or `-`. */
  region: safeToken.default("global"),
  /** Datacenters the jobs may be placed in: at least one, each listed once. */
  datacenters: uniqueList(safeToken, "datacenter").min(1, "must list at least one datacenter").default(["dc1"]),
});

/** How NameServer hosts are picked out of the Nomad clients. */
const nameServerHosts = z.discriminatedUnion("by", [
  z.strictObject({ by: z.literal("nodeClass"), nodeClass: safeToken }),
  z.strictObject({ by: z.literal("meta"), key: nodeMetaKey, value: safeToken }),
]);

/** Consul ACLs: when on, each consumer gets a least-privilege token delivered through a Nomad Variable. */
const consulAcl = z.strictObject({
  /** Whether the Consul cluster enforces ACLs (default deny): Pulumi then creates a least-privilege token per job. */
  enabled: z.boolean().default(false),
  /**
   * Consul HTTP API that Pulumi manages policies and tokens through (from where `pulumi up` runs), as host:port
   * with a port from 1 to 65535; required when `consul.acl.enabled` is true.
   */
  apiAddress: hostPort.optional(),
  /**
   * Scheme of that API. The images serve Consul's API as plain HTTP on `images.consulServer.httpPort` and
   * configure no TLS: `https` needs TLS in front of Consul (a load balancer, or a TLS config of your own).
   */
  scheme: z.enum(["http", "https"]).default("https"),
  /** Consul datacenter the policies and tokens are created in; the agent's own when unset. */
  datacenter: safeToken.optional(),
});

const consul = z.strictObject({
  /**
   * Address of the Consul agent Fabio and Prometheus talk to (the local agent: both use host networking), as
   * host:port with a port from 1 to 65535.
   */
  address: hostPort.default("127.0.0.1:8500"),
  /** Consul ACLs: when on, each job gets a least-privilege token delivered through a Nomad Variable. */
  acl: consulAcl.prefault({}),
  /**
   * The cluster whose Consul servers this stack's Prometheus scrapes: their `consul_http` carries the tag
   * `cluster-<name>` of the stack whose image they run. Unset, this stack's own `clusterName`; on a Consul
   * datacenter shared with another stack that built the servers, that stack's `clusterName`. A DNS label.
   */
  serverCluster: dnsName.optional(),
});

/** The two Fabios on every NameServer host, in the order their jobs are rendered: the keys of `fabio` besides `image`. */
export const FABIO_ROLES = ["nameServerIndex", "prometheus"] as const;
export type FabioRole = (typeof FABIO_ROLES)[number];

/** Each Fabio's defaults: the ports and prefixes an untouched stack file gets. */
export const FABIO_DEFAULTS = {
  nameServerIndex: {
    jobName: "fabio-nameserver-index",
    proxyPort: 8080,
    uiPort: 9998,
    metricsPort: 9997,
    tagPrefix: "rmq-nsindex-",
  },
  prometheus: {
    jobName: "fabio-prometheus",
    proxyPort: 9090,
    uiPort: 9999,
    metricsPort: 9996,
    tagPrefix: "rmq-prometheus-",
  },
} as const satisfies Record<FabioRole, Record<string, string | number>>;

function fabioInstance(defaults: (typeof FABIO_DEFAULTS)[FabioRole]) {
  return z
    .strictObject({
      /**
       * Nomad job ID, also the Consul service name Nomad registers for this Fabio: a DNS label of at most 55
       * characters (`<jobName>-metrics` names its metrics service), and not a service Prometheus discovers for
       * another purpose (see `prometheus.jobName`).
       */
      jobName: dnsName
        .refine((name) => name.length <= 55, "must be at most 55 characters (its metrics service is <jobName>-metrics)")
        .default(defaults.jobName),
      /**
       * Static host port of the HTTP proxy, distinct from the other five Fabio ports and from every agent port
       * on the host: Consul 8300–8302, 8500, 8600, Nomad 4646–4648 (`AGENT_PORTS` in config/agent-ports.ts),
       * `consul.address` and `images.consulServer.httpPort`.
       */
      proxyPort: port.default(defaults.proxyPort),
      /** Static host port of the read-only UI/admin API (/health, /api/routes), distinct as `proxyPort` is. */
      uiPort: port.default(defaults.uiPort),
      /**
       * Static host port of the Prometheus metrics listener (Fabio serves metrics only on a proxy listener of
       * its own), distinct as `proxyPort` is.
       */
      metricsPort: port.default(defaults.metricsPort),
      /**
       * Consul tag prefix this Fabio builds routes from; the job routes by `<clusterName>.<tagPrefix>`. Neither
       * Fabio's prefix may start with the other's: Fabio matches prefixes as plain text.
       */
      tagPrefix: safeToken.default(defaults.tagPrefix),
      /** What Nomad reserves for the Fabio task on every NameServer host. */
      resources: resources({ cpu: 200, memory: 128, minMemory: 16 }).prefault({}),
    })
    .prefault({});
}

const fabio = z.strictObject({
  /** Fabio container image, pinned to a tag other than `latest` or to a digest, so every host runs one build. */
  image: pinnedImage.default("fabiolb/fabio:1.6.3"),
  /** The Fabio RocketMQ clients query for NameServer addresses. */
  nameServerIndex: fabioInstance(FABIO_DEFAULTS.nameServerIndex),
  /** The Fabio that fronts Prometheus. */
  prometheus: fabioInstance(FABIO_DEFAULTS.prometheus),
});

const stackConfigShape = z.strictObject({
  /**
   * Name of the platform cluster: a DNS label, unique among the stacks on one Consul. It names the
   * `cluster-<name>` tags (every scrape job keeps only those), the `cluster` metric label and the Fabio tag
   * prefixes `<name>.<tagPrefix>`.
   */
  clusterName: z
    .string()
    .min(1, "is empty: Pulumi passes an empty or null value (`~`, `null`) as empty text; name the cluster")
    .pipe(dnsName),
  /** Where the jobs run in Nomad. */
  nomad: nomad.prefault({}),
  /**
   * How the NameServer hosts are picked out of the Nomad clients: a constraint on `${node.class}`, or on
   * `${meta.<key>}` where `key` is dot-separated names, each a letter or `_` followed by letters, digits, `_`
   * or `-`. Both Fabios run on every one of them.
   */
  nameServerHosts: nameServerHosts.default({ by: "nodeClass", nodeClass: "nameServer" }),
  /** The Consul agent the jobs use, and Consul ACLs. */
  consul: consul.prefault({}),
  /** The two Fabio system jobs on every NameServer host. */
  fabio: fabio.prefault({}),
  /** The Prometheus service job, behind the Prometheus Fabio, and where its alerts go. */
  // No prometheus mapping still gets every default but one: `alerting` has none, and its absence is reported.
  prometheus: prometheusSchema.prefault({} as z.input<typeof prometheusSchema>),
  /** The Consul and Nomad agent config files baked into machine images (packer/generated/<stack>/). */
  images: imagesSchema.prefault({}),
});

export type StackConfig = z.infer<typeof stackConfigShape>;

export const stackConfigSchema = stackConfigShape
  .superRefine(checkFabioPair)
  .superRefine(checkAgentPorts)
  .superRefine(checkServiceNames)
  .superRefine(checkConsulAcl)
  .superRefine(checkPrometheusHostVolume);
/** What a stack file may hold, before defaults; its properties carry the doc comments docs:config reads. */
export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type FabioInstanceConfig = StackConfig["fabio"][FabioRole];
export type NameServerHosts = StackConfig["nameServerHosts"];

type Ctx = z.RefinementCtx;

type FabioSettingKey = keyof (typeof FABIO_DEFAULTS)[FabioRole];

/** One setting of one Fabio, with its config key path. */
interface FabioSetting<T> {
  role: FabioRole;
  key: FabioSettingKey;
  value: T;
}

const fabioPath = (s: FabioSetting<unknown>): (string | number)[] => ["fabio", s.role, s.key];
const fabioKey = (s: FabioSetting<unknown>): string => `fabio.${s.role}.${s.key}`;

/** The six static ports of the two Fabios. */
function fabioPorts(cfg: StackConfig): FabioSetting<number>[] {
  return FABIO_ROLES.flatMap((role) =>
    (["proxyPort", "uiPort", "metricsPort"] as const).map((key) => ({ role, key, value: cfg.fabio[role][key] })),
  );
}

/**
 * Of two Fabio settings that clash, the one to report the problem at, and the other: the one the stack file
 * changed from its default when only one of them was changed (the user's edit caused the clash), else the
 * second. The message names both keys either way.
 */
function blame<T>(first: FabioSetting<T>, second: FabioSetting<T>): [FabioSetting<T>, FabioSetting<T>] {
  const changed = (s: FabioSetting<T>) => s.value !== FABIO_DEFAULTS[s.role][s.key];
  return changed(first) && !changed(second) ? [first, second] : [second, first];
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
  for (const setting of fabioPorts(cfg)) {
    const { value } = setting;
    const agent = taken.find((candidate) => candidate.port === value);
    if (agent !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: fabioPath(setting),
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
  // Two jobs of one name are checkFabioPair's to report; the clash of their services follows from it.
  const jobNames = [cfg.prometheus.jobName, ...FABIO_ROLES.map((role) => cfg.fabio[role].jobName)];
  if (new Set(jobNames).size < jobNames.length) return;
  const discovered = discoveredServices(discoveryNames(cfg));
  const alerting = cfg.prometheus.alerting;
  const alertmanagerPath = ["prometheus", "alerting", "jobName"];
  const registered: { path: (string | number)[]; name: string; purpose?: DiscoveryPurpose }[] = [
    // First, so a clash with the Alertmanager names the key that set its name.
    ...(alerting.delivery === "deployed"
      ? [
          { path: alertmanagerPath, name: alerting.jobName, purpose: "alertmanagers" as const },
          { path: alertmanagerPath, name: alertmanagerPeersService(alerting.jobName) },
        ]
      : []),
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
  const peers = alerting.delivery === "deployed" ? alertmanagerPeersService(alerting.jobName) : undefined;
  const takesPeers = registered.find((service) => service.path !== alertmanagerPath && service.name === peers);
  if (takesPeers !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: takesPeers.path,
      message: `"${peers}" is the Consul service the Alertmanager's instances find their gossip peers by; choose another name`,
    });
    return;
  }
  for (const { path, name, purpose } of registered) {
    const clash = (Object.keys(discovered) as DiscoveryPurpose[]).find(
      (other) => other !== purpose && discovered[other].includes(name),
    );
    if (clash !== undefined) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `"${name}" is the Consul service Prometheus discovers ${DISCOVERY_PURPOSES[clash]} by, so ${clash === "alertmanagers" ? "Prometheus would send its alerts to it" : "it would be scraped as one of them"}; choose another name`,
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
      const [at, other] = blame(earlier, p);
      ctx.addIssue({
        code: "custom",
        path: fabioPath(at),
        message: `port ${p.value} is already used by ${fabioKey(other)} on the same host`,
      });
    }
  });

  const setting = <K extends FabioSettingKey>(role: FabioRole, key: K) => ({ role, key, value: cfg.fabio[role][key] });
  const prometheusJob = cfg.prometheus.jobName;
  const fabioJob = FABIO_ROLES.map((role) => setting(role, "jobName")).find((job) => job.value === prometheusJob);
  if (fabioJob !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["prometheus", "jobName"],
      message: `"${prometheusJob}" is also ${fabioKey(fabioJob)}; Nomad job IDs and Consul service names must differ`,
    });
  }
  const [indexJob, promJob] = FABIO_ROLES.map((role) => setting(role, "jobName")) as [
    FabioSetting<string>,
    FabioSetting<string>,
  ];
  if (indexJob.value === promJob.value) {
    const [at, other] = blame(indexJob, promJob);
    ctx.addIssue({
      code: "custom",
      path: fabioPath(at),
      message: `"${at.value}" is also ${fabioKey(other)}; each Fabio needs its own job name`,
    });
  }

  // Fabio matches its tag prefix as plain text, so a prefix that starts with the other's picks up its routes.
  const [indexPrefix, promPrefix] = FABIO_ROLES.map((role) => setting(role, "tagPrefix")) as [
    FabioSetting<string>,
    FabioSetting<string>,
  ];
  if (promPrefix.value.startsWith(indexPrefix.value) || indexPrefix.value.startsWith(promPrefix.value)) {
    const [at, other] = blame(indexPrefix, promPrefix);
    const relation =
      at.value === other.value ? "is also" : at.value.startsWith(other.value) ? "starts with" : "is the start of";
    ctx.addIssue({
      code: "custom",
      path: fabioPath(at),
      message: `"${at.value}" ${relation} ${fabioKey(other)} "${other.value}": Fabio matches tag prefixes as plain text, so the two Fabios' routes would leak into each other; choose prefixes that do not start with one another`,
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
