// The short plan a reviewer reads after `npm run render`: jobs with their ports, scrape jobs, alerts.
import { FABIO_ROLES, type StackConfig } from "../config";
import { aclConsumers } from "./consul-acl";
import { nomadVariablePath } from "./nomad-variables";
import { prometheusConfig } from "./prometheus-config";
import { alertRules } from "./prometheus-rules";
import type { RenderedJob } from "./rendered-job";

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function ports(cfg: StackConfig, job: RenderedJob): string {
  if (job.kind === "prometheus") return "http: dynamic (behind the Prometheus Fabio)";
  const fabio = FABIO_ROLES.map((role) => cfg.fabio[role]).find((f) => f.jobName === job.name)!;
  return `proxy: ${fabio.proxyPort}, ui: ${fabio.uiPort}, metrics: ${fabio.metricsPort} (static)`;
}

/** `fileOf` names where a job's jobspec was written. */
export function renderSummary(cfg: StackConfig, jobs: RenderedJob[], fileOf: (jobName: string) => string): string {
  const scrape = prometheusConfig(cfg).scrape_configs.map((s) => [
    s.job_name,
    [
      ...(s.consul_sd_configs ?? []).flatMap((c) => c.services ?? (c.tags ?? []).map((tag) => `tag ${tag}`)),
      ...(s.file_sd_configs ?? []).flatMap((c) => c.files),
    ].join(", "),
    s.metrics_path,
  ]);
  const acl = aclConsumers(cfg).map((c) => [c.policyName, c.jobName, nomadVariablePath(c.jobName)]);
  const alerts = alertRules(cfg).groups.flatMap((g) => g.rules.map((r) => [r.alert, r.expr, r.for]));
  return [
    ...table(
      ["file", "job", "type", "ports"],
      jobs.map((j) => [fileOf(j.name), j.name, j.type, ports(cfg, j)]),
    ),
    "",
    ...table(["scrape job", "consul services", "metrics path"], scrape),
    "",
    ...table(["alert", "expr", "for"], alerts),
    "",
    ...(acl.length > 0
      ? [...table(["consul acl policy", "job", "token in nomad variable"], acl), ""]
      : ["consul acl: off", ""]),
  ].join("\n");
}
