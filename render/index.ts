// Pure rendering: typed stack config in, text out. Never imports Pulumi.
import { FABIO_ROLES, type StackConfig } from "../config";
import { renderFabioJob } from "./fabio-job";
import { renderPrometheusJob } from "./prometheus-job";
import type { RenderedJob } from "./rendered-job";

export * from "./hcl";
export * from "./cluster-scope";
export * from "./nameserver-index";
export * from "./fabio-properties";
export * from "./fabio-job";
export * from "./placement";
export * from "./nomad-variables";
export * from "./consul-acl";
export * from "./prometheus-config";
export * from "./alerts";
export * from "./prometheus-rules";
export * from "./prometheus-rule-tests";
export * from "./prometheus-job";
export * from "./rendered-job";
export * from "./agents";

/** Every Nomad job the stack runs, in a stable order. */
export function renderJobs(cfg: StackConfig, stack: string, source?: string): RenderedJob[] {
  return [
    ...FABIO_ROLES.map((role) => renderFabioJob(cfg, role, stack, source)),
    renderPrometheusJob(cfg, stack, source),
  ];
}
