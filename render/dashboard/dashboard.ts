// A Grafana dashboard per stack, as a typed object serialized with JSON.stringify. Its datasource is an input
// (`${DS_PROMETHEUS}`), chosen when the dashboard is imported.
import type { StackModel } from "../../model";
import { DASHBOARD_PANELS, type DashboardScope, type PanelDefinition, type PanelSection } from "./panels";

export const DATASOURCE_INPUT = "DS_PROMETHEUS";
const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_INPUT}}` } as const;

interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface GrafanaPanel {
  id: number;
  type: "row" | "timeseries" | "stat";
  title: string;
  gridPos: GridPos;
  datasource?: typeof DATASOURCE;
  fieldConfig?: { defaults: { unit: string }; overrides: never[] };
  targets?: { refId: string; expr: string; legendFormat: string; datasource: typeof DATASOURCE }[];
}

export interface GrafanaDashboard {
  __inputs: { name: string; label: string; description: string; type: "datasource"; pluginId: "prometheus" }[];
  title: string;
  uid: string;
  tags: string[];
  timezone: "utc";
  schemaVersion: number;
  time: { from: string; to: string };
  refresh: string;
  panels: GrafanaPanel[];
}

export function dashboardScope(model: StackModel): DashboardScope {
  return { cluster: model.config.clusterName, indexMetricsService: model.fabios.nameServerIndex.metricsService };
}

const SECTION_ORDER: PanelSection[] = ["Lookups", "Fabio", "Targets", "Leaders", "Alerts"];
const PANEL_HEIGHT = 8;

/** The dashboard of `scope`'s stack: one row per section, two panels across. */
export function grafanaDashboard(
  scope: DashboardScope,
  panels: readonly PanelDefinition[] = DASHBOARD_PANELS,
): GrafanaDashboard {
  const out: GrafanaPanel[] = [];
  let y = 0;
  for (const section of SECTION_ORDER) {
    const members = panels.filter((p) => p.section === section);
    if (members.length === 0) continue;
    out.push({ id: out.length + 1, type: "row", title: section, gridPos: { h: 1, w: 24, x: 0, y } });
    y += 1;
    members.forEach((panel, i) => {
      out.push({
        id: out.length + 1,
        type: panel.kind,
        title: panel.title,
        gridPos: { h: PANEL_HEIGHT, w: 12, x: (i % 2) * 12, y: y + Math.floor(i / 2) * PANEL_HEIGHT },
        datasource: DATASOURCE,
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        targets: panel.queries(scope).map((q, j) => ({
          refId: String.fromCharCode(65 + j),
          expr: q.expr,
          legendFormat: q.legend,
          datasource: DATASOURCE,
        })),
      });
    });
    y += Math.ceil(members.length / 2) * PANEL_HEIGHT;
  }
  return {
    __inputs: [
      {
        name: DATASOURCE_INPUT,
        label: "Prometheus",
        description: `The Prometheus of stack ${scope.cluster}`,
        type: "datasource",
        pluginId: "prometheus",
      },
    ],
    title: `RocketMQ system jobs (${scope.cluster})`,
    uid: `rocketmq-system-${scope.cluster}`.slice(0, 40),
    tags: ["rocketmq", "fabio", "nomad", "consul"],
    timezone: "utc",
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "30s",
    panels: out,
  };
}

export function dashboardArtifactPath(cluster: string): string {
  return `dashboards/${cluster}-rocketmq-system.json`;
}

export function dashboardJson(model: StackModel): string {
  return `${JSON.stringify(grafanaDashboard(dashboardScope(model)), null, 2)}\n`;
}
