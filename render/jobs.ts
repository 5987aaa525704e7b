// Every Nomad job the stack runs.
import { FABIO_ROLES, type StackConfig } from "../config";
import { renderAlertmanagerJob } from "./alertmanager";
import { renderFabioJob } from "./fabio-job";
import { renderPrometheusJob } from "./prometheus-job";
import type { RenderedJob } from "./rendered-job";

/** The stack's jobs in a stable order. `source` is the stack file read, named in each jobspec's header. */
export function renderJobs(cfg: StackConfig, stack: string, source?: string): RenderedJob[] {
  const alertmanager = renderAlertmanagerJob(cfg, stack, source);
  return [
    ...FABIO_ROLES.map((role) => renderFabioJob(cfg, role, stack, source)),
    renderPrometheusJob(cfg, stack, source),
    ...(alertmanager ? [alertmanager] : []),
  ];
}
