// The short plan a reviewer reads after `npm run render`: jobs with their ports, scrape jobs, alerts.
import type { JobModel, StackModel } from "../model";
import { alertDeliveryLine } from "./alert-delivery";
import { aclConsumers } from "./consul-acl";
import { prometheusConfig } from "./prometheus-config";
import { alertRules } from "./prometheus-rules";

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function ports(job: JobModel): string {
  switch (job.kind) {
    case "prometheus":
      return "http: dynamic (behind the Prometheus Fabio)";
    case "alertmanager":
      return "http, cluster: dynamic (found through Consul)";
    case "fabio":
      return `proxy: ${job.ports.proxy}, ui: ${job.ports.ui}, metrics: ${job.ports.metrics} (static)`;
    default: {
      const unreachable: never = job;
      throw new Error(`unknown job ${JSON.stringify(unreachable)}`);
    }
  }
}

/** `fileOf` names where an artifact (by its path under --out) was written. */
export function renderSummary(model: StackModel, fileOf: (artifactPath: string) => string): string {
  const scrape = prometheusConfig(model).scrape_configs.map((s) => [
    s.job_name,
    [
      ...(s.consul_sd_configs ?? []).flatMap((c) => c.services ?? (c.tags ?? []).map((tag) => `tag ${tag}`)),
      ...(s.file_sd_configs ?? []).flatMap((c) => c.files),
    ].join(", "),
    s.metrics_path,
  ]);
  const acl = aclConsumers(model).map((c) => [c.policyName, c.jobName, c.variablePath]);
  const alerts = alertRules(model).groups.flatMap((g) => g.rules.map((r) => [r.alert, r.expr, r.for]));
  return [
    ...table(
      ["file", "job", "type", "ports"],
      model.jobs.map((j) => [fileOf(j.artifacts.jobspec), j.name, j.type, ports(j)]),
    ),
    "",
    ...table(["scrape job", "consul services", "metrics path"], scrape),
    "",
    ...table(["alert", "expr", "for"], alerts),
    "",
    alertDeliveryLine(model.config.prometheus.alerting, model.clusterTag),
    "",
    ...(acl.length > 0
      ? [...table(["consul acl policy", "job", "token in nomad variable"], acl), ""]
      : ["consul acl: off", ""]),
  ].join("\n");
}
