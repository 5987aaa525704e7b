// The Pulumi program: read the stack config, create the system jobs, export what operators need.
import * as pulumi from "@pulumi/pulumi";
import {
  AlertmanagerJob,
  createConsulAccessPerJob,
  FabioSystemJob,
  PrometheusJob,
  tokenVariablesOf,
} from "./components";
import { loadAlertSecrets, loadConsulAclToken, loadProgramConfig } from "./config/from-pulumi";
import { resolveStack } from "./model";
import { aclConsumers, alertDeliveryLine, nameServerIndexPatterns } from "./render";

const model = resolveStack({ config: loadProgramConfig(), stack: pulumi.getStack() });
// Read before any resource is registered: a receiver's unset secret fails the run with nothing created.
const alertSecrets = loadAlertSecrets(model.config.prometheus.alerting);

// With Consul ACLs on, each job's token must be in its Nomad Variable before the job starts.
const consulAccess = createConsulAccessPerJob({
  acl: model.config.consul.acl,
  consumers: aclConsumers(model),
  managementToken: loadConsulAclToken,
});
const tokenOf = (job: { name: string }) => tokenVariablesOf(consulAccess, job.name);

const indexFabio = new FabioSystemJob("nameserver-index-fabio", {
  model,
  role: "nameServerIndex",
  waitFor: tokenOf(model.fabios.nameServerIndex),
});
const prometheusFabio = new FabioSystemJob("prometheus-fabio", {
  model,
  role: "prometheus",
  waitFor: tokenOf(model.fabios.prometheus),
});
const prometheus = new PrometheusJob("prometheus", { model, waitFor: tokenOf(model.prometheus) });
const alertmanager = model.alertmanager
  ? new AlertmanagerJob("alertmanager", { model, alertmanager: model.alertmanager, secrets: alertSecrets })
  : undefined;
const lookup = nameServerIndexPatterns(model.nameServerIndexStack, indexFabio.fabio.ports.proxy);

export const nameServerIndexUrlPattern = lookup.url;
export const nameServerIndexServiceTagPattern = lookup.serviceTag;
export const nameServerIndexFabioJob = indexFabio.job.name;
export const nameServerIndexTagPrefix = indexFabio.fabio.tagPrefix;
/** What a cluster passes to the contract's helpers: `nameServerIndexTags(nameServerIndexStack, subgroups)`. */
export const nameServerIndexStack = { ...model.nameServerIndexStack };
export const prometheusFabioJob = prometheusFabio.job.name;
export const prometheusFabioTagPrefix = prometheusFabio.fabio.tagPrefix;
export const prometheusJob = prometheus.job.name;
export const prometheusUrlPattern = `http://<nameserver-host>:${prometheusFabio.fabio.ports.proxy}/`;
export const consulAclPolicies = pulumi.all([...consulAccess.values()].map((access) => access.policy.name));
export const alertDelivery = alertDeliveryLine(model.config.prometheus.alerting, model.clusterTag);
export const alertmanagerJob = alertmanager?.job.name;
