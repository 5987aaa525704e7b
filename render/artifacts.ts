// Everything the render CLI writes for a stack, as relative paths and file contents.
import type { StackConfig } from "../config";
import { renderJobs } from "./index";
import { prometheusYaml, RULE_FILE } from "./prometheus-config";
import { alertRulesYaml } from "./prometheus-rules";

export interface Artifact {
  /** Path relative to the output directory, with `/` separators. */
  path: string;
  content: string;
}

export function renderArtifacts(cfg: StackConfig, stack: string): Artifact[] {
  return [
    ...renderJobs(cfg, stack).map((job) => ({ path: `jobs/${job.name}.nomad.hcl`, content: job.hcl })),
    // As consul-template sees them: the same text the Prometheus job's template stanzas carry.
    { path: "prometheus/prometheus.yml", content: prometheusYaml(cfg) },
    { path: `prometheus/${RULE_FILE}`, content: alertRulesYaml(cfg) },
  ];
}
