// The Fabio system jobspec for one of the two Fabios.
import type { FabioRole } from "../config";
import type { StackModel } from "../model";
import { fabioProperties } from "./fabio-properties";
import { consulTokenEnvFile } from "./nomad-variables";
import { hclHeredoc, hclStringList } from "./hcl";
import { hostConstraint } from "./placement";
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

export function fabioJobView(model: StackModel, role: FabioRole): FabioJobView {
  const cfg = model.config;
  const fabio = model.fabios[role];
  const constraint = hostConstraint(cfg.nameServerHosts);
  return {
    description: DESCRIPTION[role],
    stackFile: model.source,
    jobName: fabio.name,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    constraintAttribute: constraint.attribute,
    constraintValue: constraint.value,
    proxyPort: fabio.ports.proxy,
    uiPort: fabio.ports.ui,
    metricsPort: fabio.ports.metrics,
    metricsService: fabio.metricsService,
    serviceTags: hclStringList(["fabio", model.clusterTag]),
    image: cfg.fabio.image,
    propertiesPath: PROPERTIES_PATH,
    propertiesDestination: templateDestination(PROPERTIES_PATH),
    properties: hclHeredoc(fabioProperties(model, role)),
    consulAcl: cfg.consul.acl.enabled,
    consulTokenEnv: cfg.consul.acl.enabled ? hclHeredoc(consulTokenEnvFile(fabio)) : "",
    cpu: fabio.config.resources.cpu,
    memory: fabio.config.resources.memory,
  };
}

export function renderFabioJob(model: StackModel, role: FabioRole): RenderedJob {
  const fabio = model.fabios[role];
  const hcl = renderTemplate(TEMPLATE, fabioJobView(model, role));
  return { name: fabio.name, kind: fabio.kind, type: fabio.type, hcl };
}
