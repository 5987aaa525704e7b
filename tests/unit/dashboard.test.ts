import { describe, expect, it } from "vitest";
import { dashboardArtifactPath, DASHBOARD_PANELS, dashboardJson, grafanaDashboard } from "../../render";
import { loadArtifacts, loadModel } from "../support/stack";

describe("the Grafana dashboard", () => {
  const prod = loadModel("prod");
  const dashboard = JSON.parse(dashboardJson(prod)) as ReturnType<typeof grafanaDashboard>;
  const panels = dashboard.panels.filter((p) => p.type !== "row");

  it("is written by render per stack as dashboards/<cluster>-rocketmq-system.json", () => {
    const artifact = loadArtifacts("prod").find((a) => a.path.startsWith("dashboards/"))!;
    expect(artifact.path).toBe("dashboards/prod-rocketmq-system.json");
    expect(dashboardArtifactPath("prod")).toBe(artifact.path);
    expect(JSON.parse(artifact.content)).toEqual(dashboard);
  });

  it("takes its Prometheus datasource as an import input, used by every panel and query", () => {
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" }),
    ]);
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: "prometheus", uid: "${DS_PROMETHEUS}" });
      for (const target of panel.targets!) expect(target.datasource.uid).toBe("${DS_PROMETHEUS}");
    }
  });

  it("shows lookups by subgroup and host, Fabio traffic, targets, both leaders and firing alerts", () => {
    expect(dashboard.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual([
      "Lookups",
      "Fabio",
      "Targets",
      "Leaders",
      "Alerts",
    ]);
    expect(panels.map((p) => p.title)).toEqual(DASHBOARD_PANELS.map((p) => p.title));
    const lookupRate = panels.find((p) => p.title === "Lookups per second by subgroup and host")!;
    expect(lookupRate.targets![0]!.expr).toBe(
      'sum by (path, instance) (rate(fabio_route_count{job="fabio",cluster="prod",service="fabio-nameserver-index-metrics"}[$__rate_interval]))',
    );
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it("keeps each stack's series apart by its cluster label", () => {
    const dev = JSON.parse(dashboardJson(loadModel("dev"))) as ReturnType<typeof grafanaDashboard>;
    const exprs = dev.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    for (const expr of exprs.filter((e) => !e.includes("ALERTS"))) expect(expr).toContain('cluster="dev"');
    expect(exprs.join(" ")).not.toContain('cluster="prod"');
  });
});
