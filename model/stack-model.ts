// The stack model: a validated config, its stack name and the file it came from, resolved once into every name,
// port, path and tag the layers above derive from it. render/, components/, verify/ and diff/ read it; none of
// them derives a name again.
import {
  aclPolicyName,
  alertmanagerPeersService,
  discoveredServices,
  discoveryNames,
  FABIO_ROLES,
  fabioMetricsService,
  nomadClientService,
  nomadServerService,
  stackFileName,
  type DeployedAlerting,
  type DiscoveredServices,
  type FabioInstanceConfig,
  type FabioRole,
  type StackConfig,
} from "../config";

/** What the model is resolved from. */
export interface StackSource {
  /** The validated stack config. */
  config: StackConfig;
  /** The Pulumi stack name (`dev`, `prod`). */
  stack: string;
  /**
   * The stack file the config was read from, named in every rendered header.
   * @default `Pulumi.<stack>.yaml`
   */
  source?: string;
}

/** Where a job's rendered files go, relative to the render CLI's --out, with `/` separators. */
export interface JobArtifacts {
  /** `jobs/<job>.nomad.hcl`. */
  readonly jobspec: string;
  /** `consul-acl/<policy>.hcl`: the job's Consul ACL policy (rendered only with `consul.acl.enabled`). */
  readonly aclPolicy: string;
}

interface JobModelBase {
  /** Nomad job ID, also the Consul service name Nomad registers for the job. */
  readonly name: string;
  /** Consul ACL policy of the job's token (`aclPolicyName`); created only with `consul.acl.enabled`. */
  readonly aclPolicyName: string;
  /** The Nomad Variable that carries the job's Consul token: `nomad/jobs/<job>`. */
  readonly variablePath: string;
}

export interface FabioPorts {
  /** Static host port of the HTTP proxy. */
  readonly proxy: number;
  /** Static host port of the UI/admin API. */
  readonly ui: number;
  /** Static host port of the Prometheus metrics listener. */
  readonly metrics: number;
}

/** One of the Fabio system jobs on every NameServer host. */
export interface FabioJobModel extends JobModelBase {
  readonly kind: "fabio";
  readonly type: "system";
  readonly role: FabioRole;
  readonly ports: FabioPorts;
  /** `registry.consul.tagprefix`: `<clusterName>.<fabio.<role>.tagPrefix>`. */
  readonly tagPrefix: string;
  /** Consul KV prefix of its manual route overrides and no-route page, without a leading `/`. */
  readonly kvPrefix: string;
  /** The Consul service of its metrics listener, which Prometheus discovers. */
  readonly metricsService: string;
  readonly artifacts: JobArtifacts & {
    /** `jobs/<job>.fabio.properties`: the properties its template stanza writes. */
    readonly fabioProperties: string;
  };
  /** The instance's own settings (`fabio.<role>`): resources and the values above as configured. */
  readonly config: FabioInstanceConfig;
}

/** The Prometheus service job. */
export interface PrometheusJobModel extends JobModelBase {
  readonly kind: "prometheus";
  readonly type: "service";
  /** The tag that makes the Prometheus Fabio route `/` to it: that Fabio's tag prefix and `/`. */
  readonly routeTag: string;
  readonly artifacts: JobArtifacts;
}

/** The Alertmanager service job, when the stack deploys one (`prometheus.alerting.delivery: deployed`). */
export interface AlertmanagerJobModel extends JobModelBase {
  readonly kind: "alertmanager";
  readonly type: "service";
  /** The Consul service of its gossip port, which its instances find their peers by: `<job>-cluster`. */
  readonly peersService: string;
  /**
   * The Nomad Variable holding the receivers' secrets: the task's own path (`nomad/jobs/<job>/<group>/<task>`),
   * which Nomad lets only that task read.
   */
  readonly secretsVariablePath: string;
  readonly artifacts: JobArtifacts & {
    /** `alertmanager/alertmanager.yml`: the config its template stanza writes. */
    readonly config: string;
  };
  /** Its settings (`prometheus.alerting`): route, receivers, inhibition, image, count, resources. */
  readonly alerting: DeployedAlerting;
}

/** The group and the task of the Alertmanager job: one of each, named alike. */
export const ALERTMANAGER_TASK = "alertmanager";

/** Every Nomad job of a stack; switch on `kind` (a new job adds its own kind). */
export type JobModel = FabioJobModel | PrometheusJobModel | AlertmanagerJobModel;
export type JobKind = JobModel["kind"];

export interface StackModel {
  readonly config: StackConfig;
  readonly stack: string;
  /** The stack file named in every rendered header. */
  readonly source: string;
  /** `cluster-<clusterName>`: every service of the stack carries it; each scrape job keeps only its instances. */
  readonly clusterTag: string;
  /** The tag of the Consul servers this stack scrapes: `consul.serverCluster`'s, else this stack's own. */
  readonly consulServerTag: string;
  /** The Consul services the stack's Nomad servers and clients register. */
  readonly nomadServerService: string;
  readonly nomadClientService: string;
  /** What Prometheus discovers, by purpose. */
  readonly discovered: DiscoveredServices;
  /** The Fabio jobs by role. */
  readonly fabios: Readonly<Record<FabioRole, FabioJobModel>>;
  readonly prometheus: PrometheusJobModel;
  /**
   * What a RocketMQ cluster's NameServer-index service builds its tags from (the contract's
   * `NameServerIndexStack`, stack output `nameServerIndexStack`): the cluster and the index Fabio's whole prefix.
   */
  readonly nameServerIndexStack: { readonly clusterName: string; readonly tagPrefix: string };
  /** The Alertmanager job, when the stack deploys one. */
  readonly alertmanager: AlertmanagerJobModel | undefined;
  /** Every Nomad job in render order: the Fabios (FABIO_ROLES order), Prometheus, then the Alertmanager if any. */
  readonly jobs: readonly JobModel[];
}

export function jobArtifactPath(jobName: string): string {
  return `jobs/${jobName}.nomad.hcl`;
}

/**
 * Nomad gives a job's tasks read access to the variables under its own path, and only those. The config keeps
 * job names DNS labels; render/nomad-variables.ts refuses any other before the path lands in a template action.
 */
export function nomadVariablePath(jobName: string): string {
  return `nomad/jobs/${jobName}`;
}

function jobIdentity(cfg: StackConfig, name: string): JobModelBase & { artifacts: JobArtifacts } {
  const policy = aclPolicyName(cfg.clusterName, name);
  return {
    name,
    aclPolicyName: policy,
    variablePath: nomadVariablePath(name),
    artifacts: { jobspec: jobArtifactPath(name), aclPolicy: `consul-acl/${policy}.hcl` },
  };
}

/**
 * The Consul tag prefix a Fabio routes by: `<clusterName>.<tagPrefix>`. Fabio matches it as a plain string
 * prefix. A cluster name is a DNS label, without '.', so one stack's prefix never starts with another stack's;
 * within a stack, the config keeps either tagPrefix from starting with the other.
 */
function fabioJob(cfg: StackConfig, role: FabioRole): FabioJobModel {
  const instance = cfg.fabio[role];
  const identity = jobIdentity(cfg, instance.jobName);
  return {
    ...identity,
    kind: "fabio",
    type: "system",
    role,
    ports: { proxy: instance.proxyPort, ui: instance.uiPort, metrics: instance.metricsPort },
    tagPrefix: `${cfg.clusterName}.${instance.tagPrefix}`,
    // One per Fabio and stack, so no two Fabios (of one stack or of two stacks on one Consul) apply each
    // other's overrides, and an ACL policy can grant exactly this prefix.
    kvPrefix: `fabio/${cfg.clusterName}/${instance.jobName}/`,
    metricsService: fabioMetricsService(instance.jobName),
    artifacts: { ...identity.artifacts, fabioProperties: `jobs/${instance.jobName}.fabio.properties` },
    config: instance,
  };
}

function alertmanagerJob(cfg: StackConfig): AlertmanagerJobModel | undefined {
  const alerting = cfg.prometheus.alerting;
  if (alerting.delivery !== "deployed") return undefined;
  const identity = jobIdentity(cfg, alerting.jobName);
  return {
    ...identity,
    kind: "alertmanager",
    type: "service",
    peersService: alertmanagerPeersService(alerting.jobName),
    secretsVariablePath: `${identity.variablePath}/${ALERTMANAGER_TASK}/${ALERTMANAGER_TASK}`,
    artifacts: { ...identity.artifacts, config: "alertmanager/alertmanager.yml" },
    alerting,
  };
}

/** Resolves a stack into its model: pure, and the only place a derived name is computed. */
export function resolveStack({ config, stack, source }: StackSource): StackModel {
  const fabios = Object.fromEntries(FABIO_ROLES.map((role) => [role, fabioJob(config, role)])) as Record<
    FabioRole,
    FabioJobModel
  >;
  const prometheus: PrometheusJobModel = {
    ...jobIdentity(config, config.prometheus.jobName),
    kind: "prometheus",
    type: "service",
    routeTag: `${fabios.prometheus.tagPrefix}/`,
  };
  const alertmanager = alertmanagerJob(config);
  return deepFreeze({
    config,
    stack,
    source: source ?? stackFileName(stack),
    clusterTag: `cluster-${config.clusterName}`,
    consulServerTag: `cluster-${config.consul.serverCluster ?? config.clusterName}`,
    nomadServerService: nomadServerService(config.clusterName),
    nomadClientService: nomadClientService(config.clusterName),
    discovered: discoveredServices(discoveryNames(config)),
    fabios,
    prometheus,
    nameServerIndexStack: { clusterName: config.clusterName, tagPrefix: fabios.nameServerIndex.tagPrefix },
    alertmanager,
    jobs: [...FABIO_ROLES.map((role) => fabios[role]), prometheus, ...(alertmanager ? [alertmanager] : [])],
  });
}

/** The model's own parts are frozen; the config it holds stays as parsed (shared with its caller). */
function deepFreeze<T extends object>(value: T): T {
  for (const [key, child] of Object.entries(value)) {
    if (key !== "config" && typeof child === "object" && child !== null && !Object.isFrozen(child)) {
      deepFreeze(child as object);
    }
  }
  return Object.freeze(value);
}
