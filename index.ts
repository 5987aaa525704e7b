// The Pulumi program: read the stack config, create the system jobs, export what operators need.
import * as pulumi from "@pulumi/pulumi";
import { consulTokenFor, createConsulAccess, FabioSystemJob, PrometheusJob } from "./components";
import { loadConsulAclToken, loadProgramConfig } from "./config/from-pulumi";
import { nameServerIndexPatterns } from "./render";

const stackName = pulumi.getStack();
const stackConfig = loadProgramConfig();

// With Consul ACLs on, each job's token must be in its Nomad Variable before the job starts.
const consulAccess = createConsulAccess(stackConfig, loadConsulAclToken);

const indexFabio = new FabioSystemJob("nameserver-index-fabio", {
  stackConfig,
  role: "nameServerIndex",
  stackName,
  waitFor: consulTokenFor(consulAccess, stackConfig.fabio.nameServerIndex.jobName),
});
const prometheusFabio = new FabioSystemJob("prometheus-fabio", {
  stackConfig,
  role: "prometheus",
  stackName,
  waitFor: consulTokenFor(consulAccess, stackConfig.fabio.prometheus.jobName),
});
const prometheus = new PrometheusJob("prometheus", {
  stackConfig,
  stackName,
  waitFor: consulTokenFor(consulAccess, stackConfig.prometheus.jobName),
});
const lookup = nameServerIndexPatterns(indexFabio.tagPrefix, indexFabio.proxyPort);

export const nameServerIndexUrlPattern = lookup.url;
export const nameServerIndexServiceTagPattern = lookup.serviceTag;
export const nameServerIndexFabioJob = indexFabio.jobName;
export const nameServerIndexTagPrefix = indexFabio.tagPrefix;
export const prometheusFabioJob = prometheusFabio.jobName;
export const prometheusFabioTagPrefix = prometheusFabio.tagPrefix;
export const prometheusJob = prometheus.jobName;
export const prometheusUrlPattern = `http://<nameserver-host>:${prometheusFabio.proxyPort}/`;
export const consulAclPolicies = pulumi.all([...consulAccess.values()].map((access) => access.policyName));
