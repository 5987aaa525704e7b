// A real Prometheus (the release the job deploys, built by install-test-tools.sh) started from the rendered config.
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../../config";
import { stringify } from "yaml";
import {
  alertRules,
  alertRulesYaml,
  BLACKBOX_ADDRESS,
  consulSdServer,
  LOOKUP_TARGETS_PATH,
  prometheusYaml,
  RULE_FILE,
  RULES_DIR,
} from "../../render";
import { freePort, http, start, tempDir, waitFor, waitForReady, type Started } from "./processes";
import { modelOf } from "./stack";
import { PROMETHEUS_TEST_TIMING, withTestFor, withTestTiming } from "./test-timing";

export interface PrometheusFiles {
  dir: string;
  configFile: string;
  ruleFile: string;
  /** Where the lookup targets file_sd list goes (consul-template writes it: support/lookup-probes.ts). */
  lookupTargetsFile: string;
}

/**
 * Writes the rendered prometheus.yml and rule file as a Nomad allocation would see them, with exactly
 * four substitutions, all of things only known on a real node:
 *  - the consul-template expression for the node's Consul agent → the test agent's address;
 *  - the task-local rules directory `/local/rules` → `<temp dir>/rules`;
 *  - the task-local lookup targets file → `<temp dir>/lookup-targets/…` (`lookupTargetsFile`);
 *  - blackbox_exporter's address, `127.0.0.1:{{ env "NOMAD_PORT_blackbox" }}` → `blackboxAddr` (default: a
 *    port nothing listens on, for tests that start no prober).
 * For promtool's checks of the files themselves; a real Prometheus runs `writePrometheusFiles`.
 */
export function writeRenderedPrometheusFiles(
  cfg: StackConfig,
  consulAddr: string,
  { blackboxAddr = "127.0.0.1:1" }: { blackboxAddr?: string } = {},
): PrometheusFiles {
  return writeFiles(cfg, consulAddr, blackboxAddr, (config) => config, alertRulesYaml(modelOf(cfg)));
}

/**
 * The files of `writeRenderedPrometheusFiles` with the test timing of test-timing.ts (intervals, discovery
 * refresh, alerts' `for:`), for a real Prometheus that the tests watch react. `alertFor: "rendered"` keeps the
 * rules' own `for:`, for a test that needs alerts to stay pending while it looks.
 */
export function writePrometheusFiles(
  cfg: StackConfig,
  consulAddr: string,
  { blackboxAddr = "127.0.0.1:1", alertFor = "test" }: { blackboxAddr?: string; alertFor?: "test" | "rendered" } = {},
): PrometheusFiles {
  const rules =
    alertFor === "test"
      ? stringify(withTestFor(alertRules(modelOf(cfg))), { lineWidth: 0, aliasDuplicateObjects: false })
      : alertRulesYaml(modelOf(cfg));
  return writeFiles(cfg, consulAddr, blackboxAddr, withTestTiming, rules);
}

function writeFiles(
  cfg: StackConfig,
  consulAddr: string,
  blackboxAddr: string,
  timing: (config: string) => string,
  rules: string,
): PrometheusFiles {
  const dir = tempDir("prometheus");
  const rendered = prometheusYaml(modelOf(cfg));
  const server = consulSdServer(modelOf(cfg));
  if (!rendered.includes(server)) throw new Error(`the rendered config no longer uses ${server}`);
  for (const expected of [BLACKBOX_ADDRESS, LOOKUP_TARGETS_PATH]) {
    if (!rendered.includes(expected)) throw new Error(`the rendered config no longer uses ${expected}`);
  }
  const rulesDir = path.join(dir, "rules");
  fs.mkdirSync(rulesDir);
  const lookupTargetsFile = path.join(dir, "lookup-targets", path.basename(LOOKUP_TARGETS_PATH));
  fs.mkdirSync(path.dirname(lookupTargetsFile));
  const config = rendered
    .split(server)
    .join(consulAddr)
    .split(`${RULES_DIR}/`)
    .join(`${rulesDir}/`)
    .split(LOOKUP_TARGETS_PATH)
    .join(lookupTargetsFile)
    .split(BLACKBOX_ADDRESS)
    .join(blackboxAddr);
  const configFile = path.join(dir, "prometheus.yml");
  const ruleFile = path.join(rulesDir, RULE_FILE);
  fs.writeFileSync(configFile, timing(config));
  fs.writeFileSync(ruleFile, rules);
  return { dir, configFile, ruleFile, lookupTargetsFile };
}

export interface PrometheusServer {
  readonly process: Started;
  readonly url: string;
}

/** With the test's alert resend delay (test-timing.ts); `extraArgs` are further flags. */
export async function startPrometheus(
  files: PrometheusFiles,
  port?: number,
  extraArgs: string[] = [],
): Promise<PrometheusServer> {
  port ??= await freePort();
  const proc = start("prometheus", [
    `--config.file=${files.configFile}`,
    `--storage.tsdb.path=${path.join(files.dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--rules.alert.resend-delay=${PROMETHEUS_TEST_TIMING.alertResendDelay}`,
    ...extraArgs,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForReady("Prometheus", url, proc);
  return { process: proc, url };
}

export interface ActiveTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: "up" | "down" | "unknown";
  lastError: string;
}

export async function activeTargets(server: PrometheusServer): Promise<ActiveTarget[]> {
  const { text } = await http(`${server.url}/api/v1/targets?state=active`);
  return (JSON.parse(text) as { data: { activeTargets: ActiveTarget[] } }).data.activeTargets;
}

/** Polls until a target of `job` reports `health` (bounded), and returns it. */
export async function waitForTarget(
  server: PrometheusServer,
  job: string,
  health: ActiveTarget["health"],
  timeoutMs = 40_000,
): Promise<ActiveTarget> {
  return waitFor(
    `a ${job} target to be ${health}`,
    async () => (await activeTargets(server)).find((t) => t.labels.job === job && t.health === health),
    { timeoutMs, intervalMs: 500, process: server.process },
  );
}

/** An instant query; returns the result vector. */
export async function query(
  server: PrometheusServer,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const { text } = await http(`${server.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  return (JSON.parse(text) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data
    .result;
}

/** When each rule group was last evaluated (RFC 3339), by group name. */
async function lastEvaluations(server: PrometheusServer): Promise<Map<string, string>> {
  const { text } = await http(`${server.url}/api/v1/rules`);
  const groups = (JSON.parse(text) as { data: { groups: { name: string; lastEvaluation: string }[] } }).data.groups;
  return new Map(groups.map((g) => [g.name, g.lastEvaluation]));
}

/**
 * Waits until every rule group has been evaluated again since the call. Rules of one group each read the TSDB
 * when their turn comes, so a scrape that lands during an evaluation can be seen by a later rule and not by an
 * earlier one; the next evaluation sees it for every rule. Before asserting that an alert is absent because of
 * data another alert already shows, wait for this.
 */
export async function waitForNextEvaluation(server: PrometheusServer): Promise<void> {
  // lastEvaluation is when an evaluation started, published once it has finished: one that was running at the
  // call would look new. Only one that started after the call counts (Prometheus runs on this host's clock).
  const since = Date.now();
  const groups = [...(await lastEvaluations(server)).keys()];
  await waitFor(
    "every rule group to be evaluated again",
    async () => {
      const now = await lastEvaluations(server);
      return groups.every((name) => Date.parse(now.get(name) ?? "") > since) ? true : undefined;
    },
    { intervalMs: 100, process: server.process },
  );
}
