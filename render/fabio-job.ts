// The Fabio system jobspec for one of the two Fabios.
import type { StackConfig } from "../config";
import { stackFileName } from "../config/stack-file";
import { fabioMetricsService, fabioProperties, type FabioRole } from "./fabio-properties";
import { consulTokenEnvFile } from "./nomad-variables";
import { hclHeredoc, hclStringList } from "./hcl";
import { hostConstraint } from "./placement";
import { renderTemplate } from "./template";
import type { RenderedJob } from "./rendered-job";

const DESCRIPTION: Record<FabioRole, string> = {
  nameServerIndex:
    "Fabio serving RocketMQ NameServer-index lookups (GET /rocketmq/<subgroup>) on every NameServer host.",
  prometheus: "Fabio routing to Prometheus on every NameServer host.",
};

/** `source` is the stack file the config was read from, named in the header (default `Pulumi.<stack>.yaml`). */
export function renderFabioJob(cfg: StackConfig, role: FabioRole, stack: string, source?: string): RenderedJob {
  const instance = cfg.fabio[role];
  const constraint = hostConstraint(cfg.nameServerHosts);
  const hcl = renderTemplate("fabio.nomad.hcl.mustache", {
    description: DESCRIPTION[role],
    source: source ?? stackFileName(stack),
    jobName: instance.jobName,
    region: cfg.nomad.region,
    datacenters: hclStringList(cfg.nomad.datacenters),
    constraintAttribute: constraint.attribute,
    constraintValue: constraint.value,
    proxyPort: instance.proxyPort,
    uiPort: instance.uiPort,
    metricsPort: instance.metricsPort,
    metricsService: fabioMetricsService(instance),
    serviceTags: hclStringList(["fabio", `cluster-${cfg.clusterName}`]),
    image: cfg.fabio.image,
    properties: hclHeredoc(fabioProperties(cfg, role)),
    consulAcl: cfg.consul.acl.enabled,
    consulTokenEnv: cfg.consul.acl.enabled ? hclHeredoc(consulTokenEnvFile(instance.jobName)) : "",
    cpu: instance.resources.cpu,
    memory: instance.resources.memory,
  });
  return { name: instance.jobName, kind: "fabio", type: "system", hcl };
}
