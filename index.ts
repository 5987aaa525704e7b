// The Pulumi program: read the stack config, create the system jobs, export what operators need.
import * as pulumi from "@pulumi/pulumi";
import { FabioSystemJob, PrometheusJob } from "./components";
import { loadProgramConfig } from "./config/from-pulumi";
import { nameServerIndexPatterns } from "./render";

const stackName = pulumi.getStack();
const stackConfig = loadProgramConfig();

const indexFabio = new FabioSystemJob("nameserver-index-fabio", { stackConfig, role: "nameServerIndex", stackName });
const prometheusFabio = new FabioSystemJob("prometheus-fabio", { stackConfig, role: "prometheus", stackName });
const prometheus = new PrometheusJob("prometheus", { stackConfig, stackName });
const lookup = nameServerIndexPatterns(indexFabio.tagPrefix, indexFabio.proxyPort);

export const nameServerIndexUrlPattern = lookup.url;
export const nameServerIndexServiceTagPattern = lookup.serviceTag;
export const nameServerIndexFabioJob = indexFabio.jobName;
export const nameServerIndexTagPrefix = indexFabio.tagPrefix;
export const prometheusFabioJob = prometheusFabio.jobName;
export const prometheusFabioTagPrefix = prometheusFabio.tagPrefix;
export const prometheusJob = prometheus.jobName;
export const prometheusUrlPattern = `http://<nameserver-host>:${prometheusFabio.proxyPort}/`;
