// End to end with real binaries: Prometheus from the rendered prometheus.yml and rules finds the Alertmanager
// in Consul as the rendered job registers it, Alertmanager from the rendered alertmanager.yml delivers to a
// webhook (its URL read from the secret file the job's template writes), and prod's inhibition rules hold.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertmanagerYaml, alertRules, renderAlertmanagerJob, type AlertRule } from "../../render";
import {
  alertmanagerAlerts,
  startAlertmanager,
  startWebhookReceiver,
  type AlertmanagerServer,
  type WebhookReceiver,
} from "../support/alertmanager";
import { registerService, startConsul, type ConsulAgent } from "../support/consul";
import { blocks, parseJobspec } from "../support/hcl";
import {
  findTool,
  freePorts,
  http,
  requireTools,
  startCommand,
  stopAll,
  tempDir,
  waitFor,
  type Started,
} from "../support/processes";
import { startPrometheus, writePrometheusFiles, type PrometheusServer } from "../support/prometheus";
import { loadModel } from "../support/stack";
import { ALERTMANAGER_TEST_TIMING, withTestFor } from "../support/test-timing";

const available = requireTools("consul", "prometheus", "alertmanager");

// The documented default runbook base, stated independently of the schema.
const RUNBOOKS = "https://github.com/rocketmq-platform/rocketmq-system-jobs/blob/main/docs/runbooks";

describe.runIf(available)("prod's alerts, delivered by a real Prometheus to a real Alertmanager", () => {
  const model = loadModel("prod");
  const cfg = model.config;
  const deployed = model.alertmanager;
  if (deployed === undefined) throw new Error("Pulumi.prod.yaml no longer deploys its Alertmanager");
  const alerting = deployed.alerting;
  let consul: ConsulAgent;
  let alertmanager: AlertmanagerServer;
  let prometheus: PrometheusServer;
  let webhook: WebhookReceiver;
  let rules: AlertRule[];

  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    // The same route, receivers and inhibition; startAlertmanager shortens only the grouping waits (test-timing.ts).
    alertmanager = await startAlertmanager(alerting, { oncallWebhookUrl: webhook.url });
    consul = await startConsul();
    // Registered as the rendered job registers its HTTP service: its name and tags.
    const { group } = await parseJobspec(renderAlertmanagerJob(model, deployed).hcl);
    const service = blocks(group, "service").find((s) => s.port === "http")!;
    await registerService(consul, {
      id: "alertmanager-1",
      name: String(service.name),
      port: Number(new URL(alertmanager.url).port),
      tags: service.tags as string[],
    });
    // No Nomad or Consul server is registered: NomadServersMissing and NomadNoLeader (and Consul's pair) fire,
    // one cause with two alerts each, which prod's inhibition rules reduce to the servers' alert.
    // The rules as writePrometheusFiles gives them to Prometheus: with the test's short `for:` (test-timing.ts).
    rules = withTestFor(alertRules(model)).groups[0]!.rules;
    prometheus = await startPrometheus(writePrometheusFiles(cfg, consul.httpAddr));
  });

  afterAll(async () => {
    // The sender first: a webhook server closes only once Alertmanager's connections to it are gone.
    await stopAll();
    await webhook?.close();
  });

  it("has Prometheus find the Alertmanager through Consul (what verify checks)", async () => {
    const active = await waitFor(
      "an active Alertmanager",
      async () => {
        const { text } = await http(`${prometheus.url}/api/v1/alertmanagers`);
        const list = (JSON.parse(text) as { data: { activeAlertmanagers: { url: string }[] } }).data
          .activeAlertmanagers;
        return list.length > 0 ? list : undefined;
      },
      { timeoutMs: 30_000, process: prometheus.process },
    );
    expect(active.map((a) => a.url)).toEqual([`${alertmanager.url}/api/v2/alerts`]);
  });

  it("delivers a firing alert to the webhook with its labels and runbook_url", async () => {
    const delivered = await waitFor(
      "NomadServersMissing at the webhook",
      () =>
        Promise.resolve(
          webhook.received.flatMap((p) => p.alerts).find((a) => a.labels.alertname === "NomadServersMissing"),
        ),
      { timeoutMs: 40_000, process: alertmanager.process },
    ).catch(async (err: Error) => {
      const seen = webhook.received.flatMap((p) => p.alerts.map((a) => a.labels.alertname));
      const am = (await alertmanagerAlerts(alertmanager)).map((a) => `${a.labels.alertname}:${a.status.state}`);
      throw new Error(`${err.message}\nwebhook got: ${seen.join(", ")}\nalertmanager has: ${am.join(", ")}`);
    });
    const rule = rules.find((r) => r.alert === "NomadServersMissing")!;
    expect(delivered.status).toBe("firing");
    // An aggregated alert has no target label left: the cluster comes from Prometheus' external labels.
    expect(delivered.labels).toMatchObject({ alertname: "NomadServersMissing", severity: "critical", cluster: "prod" });
    expect(delivered.annotations.runbook_url).toBe(`${RUNBOOKS}/NomadServersMissing.md`);
    expect(delivered.annotations.summary).toBe(rule.annotations.summary.replace("{{ $value }}", "0"));
    expect(webhook.received.every((p) => p.receiver === "oncall")).toBe(true);
  });

  it("inhibits the leader alerts while their servers' alerts fire, as prod configures", async () => {
    const suppressed = await waitFor(
      "NomadNoLeader and ConsulNoLeader suppressed",
      async () => {
        const alerts = await alertmanagerAlerts(alertmanager);
        const leaders = alerts.filter((a) => /^(Nomad|Consul)NoLeader$/.test(a.labels.alertname ?? ""));
        return leaders.length === 2 && leaders.every((a) => a.status.state === "suppressed") ? leaders : undefined;
      },
      { timeoutMs: 60_000, process: alertmanager.process },
    );
    for (const alert of suppressed) expect(alert.status.inhibitedBy.length).toBeGreaterThan(0);
    // Both sources were delivered, so a notification round has passed; no inhibited alert was in any.
    await waitFor("ConsulServersMissing at the webhook", () =>
      Promise.resolve(
        webhook.received.flatMap((p) => p.alerts).find((a) => a.labels.alertname === "ConsulServersMissing"),
      ),
    );
    const sent = new Set(webhook.received.flatMap((p) => p.alerts.map((a) => a.labels.alertname)));
    expect(sent.has("NomadNoLeader")).toBe(false);
    expect(sent.has("ConsulNoLeader")).toBe(false);
  });
});

describe.runIf(available)(
  "two Alertmanagers started by the job's own entrypoint, with the peers the template renders",
  () => {
    const model = loadModel("prod");
    const deployed = model.alertmanager!;
    const servers: { url: string; proc: Started }[] = [];

    beforeAll(async () => {
      const { task } = await parseJobspec(renderAlertmanagerJob(model, deployed).hcl);
      const config = blocks(task, "config")[0]!;
      const entrypoint = config.entrypoint as string[];
      const script = entrypoint[2]!;
      expect(script).toMatch(/^exec \/bin\/alertmanager "\$@" \$\(cat \/local\/peers\)$/);
      const [web, cluster] = [await freePorts(2), await freePorts(2)];
      const peersFile = path.join(tempDir("peers"), "peers");
      // What the peers template renders once both instances are registered: one flag per line, each instance's
      // address and gossip port (its own included).
      fs.writeFileSync(peersFile, cluster.map((port) => `--cluster.peer=127.0.0.1:${port}\n`).join(""));
      const binary = findTool("alertmanager")!;
      for (const i of [0, 1]) {
        const dir = tempDir("alertmanager-peer");
        fs.writeFileSync(path.join(dir, "alertmanager.yml"), alertmanagerYaml(deployed.alerting, dir));
        // The task's shell line with the paths a Nomad task would see replaced by this test's.
        const line = script.replace("/bin/alertmanager", binary).replace("/local/peers", peersFile);
        const proc = startCommand("sh", [
          "-c",
          line,
          "alertmanager",
          `--web.listen-address=127.0.0.1:${web[i]}`,
          `--cluster.listen-address=127.0.0.1:${cluster[i]}`,
          `--cluster.advertise-address=127.0.0.1:${cluster[i]}`,
          `--config.file=${path.join(dir, "alertmanager.yml")}`,
          `--storage.path=${path.join(dir, "data")}`,
          `--cluster.gossip-interval=${ALERTMANAGER_TEST_TIMING.gossipInterval}`,
        ]);
        servers.push({ url: `http://127.0.0.1:${web[i]}`, proc });
      }
    });

    // One after the other: stopped together, each waits for the other to acknowledge its leaving the cluster,
    // until it is killed (5 s).
    afterAll(async () => {
      for (const server of servers) await server.proc.stop();
      await stopAll();
    });

    it("join into one gossip cluster of two peers", async () => {
      for (const server of servers) {
        const peers = await waitFor(
          "both peers in the cluster status",
          async () => {
            const { text } = await http(`${server.url}/api/v2/status`);
            const status = JSON.parse(text) as { cluster: { status: string; peers: unknown[] } };
            return status.cluster.status === "ready" && status.cluster.peers.length === 2 ? status.cluster : undefined;
          },
          { timeoutMs: 30_000, process: server.proc },
        );
        expect(peers.peers).toHaveLength(2);
      }
    });
  },
);
