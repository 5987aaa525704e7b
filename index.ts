// The Pulumi program: read the stack config, create the system jobs, export what operators need.
import * as pulumi from "@pulumi/pulumi";
import {
  createConsulAccessPerJob,
  FabioSystemJob,
  fabioSystemJobArgs,
  PrometheusJob,
  prometheusJobArgs,
  tokenVariablesOf,
} from "./components";
import { loadConsulAclToken, loadProgramConfig } from "./config/from-pulumi";
import { aclConsumers, nameServerIndexPatterns, nameServerIndexStack as indexStackOf } from "./render";

const stackName = pulumi.getStack();
const stackConfig = loadProgramConfig();

// With Consul ACLs on, each job's token must be in its Nomad Variable before the job starts.
const consulAccess = createConsulAccessPerJob({
  acl: stackConfig.consul.acl,
  consumers: aclConsumers(stackConfig),
  managementToken: loadConsulAclToken,
});
const tokenOf = (jobName: string) => tokenVariablesOf(consulAccess, jobName);

const indexFabio = new FabioSystemJob(
  "nameserver-index-fabio",
  fabioSystemJobArgs(stackConfig, "nameServerIndex", stackName, tokenOf(stackConfig.fabio.nameServerIndex.jobName)),
);
const prometheusFabio = new FabioSystemJob(
  "prometheus-fabio",
  fabioSystemJobArgs(stackConfig, "prometheus", stackName, tokenOf(stackConfig.fabio.prometheus.jobName)),
);
const prometheus = new PrometheusJob(
  "prometheus",
  prometheusJobArgs(stackConfig, stackName, tokenOf(stackConfig.prometheus.jobName)),
);
const indexStack = indexStackOf(stackConfig);
const lookup = nameServerIndexPatterns(indexStack, indexFabio.proxyPort);

export const nameServerIndexUrlPattern = lookup.url;
export const nameServerIndexServiceTagPattern = lookup.serviceTag;
export const nameServerIndexFabioJob = indexFabio.jobName;
export const nameServerIndexTagPrefix = indexFabio.tagPrefix;
/** What a cluster passes to the contract's helpers: `nameServerIndexTags(nameServerIndexStack, subgroups)`. */
export const nameServerIndexStack = indexStack;
export const prometheusFabioJob = prometheusFabio.jobName;
export const prometheusFabioTagPrefix = prometheusFabio.tagPrefix;
export const prometheusJob = prometheus.jobName;
export const prometheusUrlPattern = `http://<nameserver-host>:${prometheusFabio.proxyPort}/`;
export const consulAclPolicies = pulumi.all([...consulAccess.values()].map((access) => access.policyName));
