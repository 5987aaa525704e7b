// Everything the render CLI writes for a stack, as relative paths and file contents.
import type { StackModel } from "../model";
import { renderImageFiles } from "./agents";
import { alertmanagerYaml } from "./alertmanager";
import { dashboardArtifactPath, dashboardJson } from "./dashboard";
import { aclConsumers } from "./consul-acl";
import { fabioProperties } from "./fabio-properties";
import { renderJobs } from "./jobs";
import { MANIFEST_PATH, manifestJson } from "./manifest";
import { RULE_FILE } from "./prometheus-config";
import { prometheusFiles } from "./prometheus-job";
import { alertRuleTestsYaml, RULE_TEST_FILE } from "./prometheus-rule-tests";

export interface Artifact {
  /** Path relative to the output directory, with `/` separators. */
  path: string;
  content: string;
}

export function renderArtifacts(model: StackModel): Artifact[] {
  // Written on their own and embedded in the Prometheus jobspec: each rendered once.
  const prometheus = prometheusFiles(model);
  const jobspecs = new Map(renderJobs(model, prometheus).map((job) => [job.name, job.hcl]));
  return [
    ...model.jobs.flatMap((job): Artifact[] => [
      { path: job.artifacts.jobspec, content: jobspecs.get(job.name)! },
      // The same text the Fabio job's template stanza writes, to read without unpacking the jobspec.
      ...(job.kind === "fabio"
        ? [{ path: job.artifacts.fabioProperties, content: fabioProperties(model, job.role) }]
        : []),
    ]),
    { path: MANIFEST_PATH, content: manifestJson(model) },
    // As consul-template sees them: the same text the Prometheus job's template stanzas carry.
    { path: "prometheus/prometheus.yml", content: prometheus.config },
    { path: `prometheus/${RULE_FILE}`, content: prometheus.rules },
    // As the Alertmanager job's template writes it (no secret in it: receivers read theirs from files).
    ...(model.alertmanager
      ? [{ path: model.alertmanager.artifacts.config, content: alertmanagerYaml(model.alertmanager.alerting) }]
      : []),
    // `promtool test rules` cases, beside the rules they test.
    { path: `prometheus/${RULE_TEST_FILE}`, content: alertRuleTestsYaml(model) },
    { path: dashboardArtifactPath(model.config.clusterName), content: dashboardJson(model) },
    ...aclConsumers(model).map((c) => ({ path: c.artifactPath, content: c.rules })),
    ...renderImageFiles(model).map((file) => ({ path: `packer/${file.name}`, content: file.content })),
  ];
}
