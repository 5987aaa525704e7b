// Every Nomad job the stack runs.
import type { StackModel } from "../model";
import { renderAlertmanagerJob } from "./alertmanager";
import { renderFabioJob } from "./fabio-job";
import { renderPrometheusJob, type PrometheusFiles } from "./prometheus-job";
import type { RenderedJob } from "./rendered-job";

/** The stack's jobs in the model's order; `prometheus`: its files when the caller has rendered them already. */
export function renderJobs(model: StackModel, prometheus?: PrometheusFiles): RenderedJob[] {
  return model.jobs.map((job) => {
    switch (job.kind) {
      case "fabio":
        return renderFabioJob(model, job.role);
      case "prometheus":
        return renderPrometheusJob(model, prometheus);
      case "alertmanager":
        return renderAlertmanagerJob(model, job);
      default: {
        const unreachable: never = job;
        throw new Error(`unknown job ${JSON.stringify(unreachable)}`);
      }
    }
  });
}
