// The Fabio system jobspec for one of the two Fabios.
import { stackFileName, type FabioRole, type StackConfig } from "../config";
import { fabioMetricsService, fabioProperties } from "./fabio-properties";
import { consulTokenEnvFile } from "./nomad-variables";
import { hclHeredoc, hclStringList } from "./hcl";
import { hostConstraint } from "./placement";
import { clusterTag } from "./cluster-scope";
import { templateDestination } from "./task-paths";
import { renderTemplate } from "./template";
import type { RenderedJob } from "./rendered-job";

const TEMPLATE = "fabio.nomad.hcl.mustache";

/** Where Fabio reads its properties, as the task sees them: written by the job's template, passed as `-cfg`. */
const PROPERTIES_PATH = "/local/fabio.properties";

/**
 * What jobspecs/fabio.nomad.hcl.mustache reads. Plain strings are escaped into HCL strings by the template;
 * the fields documented as HCL are HCL source already and go in as written.
 */
export interface FabioJobView {
  /** The header comment's first line: what this Fabio serves. */
  description: string;
  /** The stack file the job is rendered from, named in the header comment. */
  stackFile: string;
  /** Nomad job ID, also the Consul service name of the Fabio's UI/health port. */
  jobName: string;
  region: string;
  /** HCL list of the datacenters the job may run in. */
  datacenters: string;
  /** HCL source of the Nomad attribute that picks the NameServer hosts, e.g. `${node.class}`. */
  constraintAttribute: string;
  constraintValue: string;
  proxyPort: number;
  uiPort: number;
  metricsPort: number;
  /** The Consul service of the metrics listener, which Prometheus discovers. */
  metricsService: string;
  /** HCL list of the tags both of the job's services carry. */
  serviceTags: string;
  image: string;
  /** Where Fabio reads fabio.properties, as the task sees it (its `-cfg` argument). */
  propertiesPath: string;
  /** Template destination of fabio.properties, relative to the task directory. */
  propertiesDestination: string;
  /** HCL heredoc of fabio.properties. */
  properties: string;
  /** Whether the job reads a Consul token from its Nomad Variable. */
  consulAcl: boolean;
  /** HCL heredoc of the env file that carries the token; empty without ACLs. */
  consulTokenEnv: string;
  cpu: number;
  memory: number;
}

const DESCRIPTION: Record<FabioRole, string> = {
  nameServerIndex:
    "Fabio serving RocketMQ NameServer-index lookups (GET /rocketmq/<subgroup>) on every NameServer host.",
  prometheus: "Fabio routing to Prometheus on every NameServer host.",
};

/** `source` is the stack file the config was read from (default `Pulumi.<stack>.yaml`), named in the header. */
export function fabioJobView(cfg: StackConfig, role: FabioRole, stack: string, source?: string): FabioJobView {
  const instance = cfg.fabio[role];
  const constraint = hostConstraint(cfg.nameServerHosts);
  return {
    description: DESCRIPTION[role],
    stackFile: source ?? stackFileName(stack),
    jobName: instance.jobName,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    constraintAttribute: constraint.attribute,
    constraintValue: constraint.value,
    proxyPort: instance.proxyPort,
    uiPort: instance.uiPort,
    metricsPort: instance.metricsPort,
    metricsService: fabioMetricsService(instance),
    serviceTags: hclStringList(["fabio", clusterTag(cfg)]),
    image: cfg.fabio.image,
    propertiesPath: PROPERTIES_PATH,
    propertiesDestination: templateDestination(PROPERTIES_PATH),
    properties: hclHeredoc(fabioProperties(cfg, role)),
    consulAcl: cfg.consul.acl.enabled,
    consulTokenEnv: cfg.consul.acl.enabled ? hclHeredoc(consulTokenEnvFile(instance.jobName)) : "",
    cpu: instance.resources.cpu,
    memory: instance.resources.memory,
  };
}

export function renderFabioJob(cfg: StackConfig, role: FabioRole, stack: string, source?: string): RenderedJob {
  const hcl = renderTemplate(TEMPLATE, fabioJobView(cfg, role, stack, source));
  return { name: cfg.fabio[role].jobName, kind: "fabio", type: "system", hcl };
}
