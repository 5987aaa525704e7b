// Everything the render CLI writes for a stack, as relative paths and file contents.
import type { StackConfig } from "../config";
import { renderImageFiles } from "./agents";
import { renderJobs } from "./jobs";
import type { RenderedJob } from "./rendered-job";
import { prometheusYaml, RULE_FILE } from "./prometheus-config";
import { alertRulesYaml } from "./prometheus-rules";
import { alertRuleTestsYaml, RULE_TEST_FILE } from "./prometheus-rule-tests";
import { aclConsumers } from "./consul-acl";

export interface Artifact {
  /** Path relative to the output directory, with `/` separators. */
  path: string;
  content: string;
}

export function jobArtifactPath(jobName: string): string {
  return `jobs/${jobName}.nomad.hcl`;
}

/**
 * `source` is the stack file the config was read from, named in every header (default `Pulumi.<stack>.yaml`);
 * `jobs` are its rendered jobs, when the caller has them already.
 */
export function renderArtifacts(
  cfg: StackConfig,
  stack: string,
  source?: string,
  jobs: RenderedJob[] = renderJobs(cfg, stack, source),
): Artifact[] {
  return [
    ...jobs.map((job) => ({ path: jobArtifactPath(job.name), content: job.hcl })),
    // As consul-template sees them: the same text the Prometheus job's template stanzas carry.
    { path: "prometheus/prometheus.yml", content: prometheusYaml(cfg) },
    { path: `prometheus/${RULE_FILE}`, content: alertRulesYaml(cfg) },
    // `promtool test rules` cases, beside the rules they test.
    { path: `prometheus/${RULE_TEST_FILE}`, content: alertRuleTestsYaml(cfg) },
    ...aclConsumers(cfg).map((c) => ({ path: `consul-acl/${c.policyName}.hcl`, content: c.rules })),
    ...renderImageFiles(cfg, stack, source).map((file) => ({ path: `packer/${file.name}`, content: file.content })),
  ];
}
