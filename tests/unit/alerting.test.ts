import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadStackFile, parseStackConfig, prometheusDurationMs, type RawConfig } from "../../config";
import {
  alertDefinitions,
  alertDeliveryLine,
  alertmanagerConfig,
  renderAlertmanagerJob,
  renderJobs,
  prometheusConfig,
} from "../../render";
import { renderCli } from "../../scripts/render-cli";
import { blocks, decodeTemplateEscapes, parseJobspec } from "../support/hcl";
import { loadModel, loadStack, minimalRaw, modelOf, parseRaw, stackFile } from "../support/stack";

const NS = "rocketmq-system-jobs";
const PROM = `${NS}:prometheus`;

/** A deployed Alertmanager with one webhook receiver, plus `change` merged into `alerting`. */
function deployedRaw(change: Record<string, unknown> = {}): RawConfig {
  return {
    [`${NS}:clusterName`]: "test",
    [`${NS}:oncallHook`]: "set as a secret",
    [PROM]: {
      alerting: {
        delivery: "deployed",
        route: { receiver: "oncall" },
        receivers: [{ name: "oncall", webhooks: [{ urlSecret: "oncallHook" }] }],
        ...change,
      },
    },
  };
}

function errorOf(raw: RawConfig): string {
  try {
    parseStackConfig(raw, "Pulumi.prod.yaml");
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("the alert delivery choice", () => {
  it("is required: a stack that does not say where alerts go is refused, naming the key", () => {
    expect(errorOf({ [`${NS}:clusterName`]: "test" })).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.alerting: is not set; it must say where alerts go: delivery: discovered \(with service\), deployed \(with route and receivers\) or none \(with reason\)/,
    );
  });

  it("tells a stack file still using prometheus.alertmanagerService the new form", () => {
    const [moved, ...rest] = errorOf({ [`${NS}:clusterName`]: "test", [PROM]: { alertmanagerService: "am" } }).split(
      "\n",
    );
    expect(moved).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.alertmanagerService: moved: write prometheus.alerting: { delivery: discovered, service: <this name> } instead",
    );
    // Every problem is listed: the new key is still missing.
    expect(rest).toEqual([
      expect.stringMatching(/^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.alerting: is not set;/),
    ]);
  });

  it("requires the reason of a stack that sends alerts nowhere", () => {
    expect(errorOf({ [`${NS}:clusterName`]: "t", [PROM]: { alerting: { delivery: "none", reason: " " } } })).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.alerting\.reason: must say why alerts go nowhere/,
    );
  });

  it("refuses a reason of more than one line: render, diff and verify print it as one line", () => {
    const raw = { [`${NS}:clusterName`]: "t", [PROM]: { alerting: { delivery: "none", reason: "dev\nonly" } } };
    const message = errorOf(raw);
    expect(message).toMatch(/^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.alerting\.reason: /);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("refuses a receiver without a destination", () => {
    // The fixture's oncallHook secret, no longer referenced by any receiver, is reported on the next line.
    expect(errorOf(deployedRaw({ receivers: [{ name: "oncall" }] })).split("\n")[0]).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.alerting.receivers[0]: has no destination: give it at least one of webhooks or emails",
    );
  });

  it("refuses a route to a receiver the stack does not define", () => {
    const routes = [{ receiver: "pager", matchers: ['severity="critical"'] }];
    expect(errorOf(deployedRaw({ route: { receiver: "oncall", routes } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.alerting.route.routes[0].receiver: "pager" is not a receiver of this stack (receivers: oncall)',
    );
  });

  it("refuses a webhook URL written in plain text", () => {
    const receivers = [{ name: "oncall", webhooks: [{ url: "https://hooks.example/abc" }] }];
    expect(errorOf(deployedRaw({ receivers }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.alerting\.receivers\[0\]\.webhooks\[0\]\.url: is a webhook URL in plain text; store it with `pulumi config set --secret <name> <url>`/,
    );
  });

  it("refuses an SMTP password written in plain text", () => {
    const email = { to: "a@example.com", from: "b@example.com", smarthost: "smtp.example.com:587", authPassword: "x" };
    expect(errorOf(deployedRaw({ receivers: [{ name: "oncall", emails: [email] }] }))).toMatch(
      /receivers\[0\]\.emails\[0\]\.authPassword: is an SMTP password in plain text/,
    );
  });

  it("refuses, in a stack file, a receiver's secret stored unencrypted", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alerting-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "Pulumi.prod.yaml");
    const text = fs.readFileSync(stackFile("prod"), "utf8");
    fs.writeFileSync(file, `${text}  ${NS}:oncallWebhookUrl: https://hooks.example/plain\n`);
    expect(() => loadStackFile(file)).toThrow(
      "Pulumi.prod.yaml: rocketmq-system-jobs:oncallWebhookUrl: is stored in plain text; set it with `pulumi config set --secret oncallWebhookUrl <value>`",
    );
    fs.writeFileSync(file, `${text}  ${NS}:oncallWebhookUrl:\n    secure: v1:AAAABBBBCCCC\n`);
    expect(loadStackFile(file).prometheus.alerting.delivery).toBe("deployed");
  });

  it("writes nothing when the render CLI meets bad alerting config", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alerting-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(file, fs.readFileSync(stackFile("prod"), "utf8").replace("receiver: oncall", "receiver: nobody"));
    let stderr = "";
    const out = path.join(dir, "out");
    const code = renderCli(["--stack-file", file, "--out", out], { log: () => {}, error: (l) => (stderr += `${l}\n`) });
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("rocketmq-system-jobs:prometheus.alerting.route.receiver:");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("sends to a discovered Alertmanager, a deployed one, or nowhere, and says which", () => {
    const discovered = parseRaw({ ...minimalRaw(), [PROM]: { alerting: { delivery: "discovered", service: "am" } } });
    expect(prometheusConfig(modelOf(discovered)).alerting?.alertmanagers[0]!.consul_sd_configs[0]!.services).toEqual([
      "am",
    ]);
    expect(alertDeliveryLine(discovered.prometheus.alerting, "cluster-test")).toBe(
      'alerts go to: the Alertmanagers Consul lists as service "am" tagged cluster-test (discovered)',
    );
    const prod = loadStack("prod");
    expect(prometheusConfig(modelOf(prod)).alerting?.alertmanagers[0]!.consul_sd_configs[0]!.services).toEqual([
      "alertmanager",
    ]);
    const dev = loadStack("dev");
    expect(prometheusConfig(modelOf(dev)).alerting).toBeUndefined();
    expect(alertDeliveryLine(dev.prometheus.alerting, "cluster-dev")).toMatch(
      /^alerts go to: nowhere \(delivery: none; /,
    );
    expect(renderJobs(modelOf(dev, "dev")).map((j) => j.name)).not.toContain("alertmanager");
    expect(modelOf(dev, "dev").alertmanager).toBeUndefined();
  });
});

describe("the deployed Alertmanager's job", () => {
  const prod = loadModel("prod");
  const deployed = prod.alertmanager!;
  const alerting = deployed.alerting;

  it("runs the pinned image on distinct NameServer hosts, two of them, registered for Prometheus and for its peers", async () => {
    const { id, job, group, task } = await parseJobspec(renderAlertmanagerJob(prod, deployed).hcl);
    expect(id).toBe("alertmanager");
    expect(group.count).toBe(2);
    expect(blocks(job, "constraint")).toEqual([
      { attribute: "${node.class}", value: "nameServer" },
      { operator: "distinct_hosts", value: "true" },
    ]);
    expect(blocks(group, "service").map((s) => [s.name, s.port, s.tags])).toEqual([
      ["alertmanager", "http", ["cluster-prod"]],
      ["alertmanager-cluster", "cluster", ["cluster-prod"]],
    ]);
    const config = only(blocks(task, "config"));
    expect(config.image).toBe("prom/alertmanager:v0.27.0");
    expect(config.args).toContain("--cluster.listen-address=${NOMAD_ADDR_cluster}");
    expect(Object.keys(only(blocks(group, "network")).port as object)).toEqual(["cluster", "http"]);
  });

  it("embeds alertmanager.yml as rendered, finds its peers in Consul, and reads each secret from the task's Nomad Variable", async () => {
    const { task } = await parseJobspec(renderAlertmanagerJob(prod, deployed).hcl);
    const templates = blocks(task, "template");
    const byDestination: Record<string, string> = Object.fromEntries(
      templates.map((t) => [String(t.destination), decodeTemplateEscapes(String(t.data))]),
    );
    expect(parseYaml(byDestination["local/alertmanager.yml"]!)).toEqual(alertmanagerConfig(alerting));
    expect(byDestination["local/peers"]).toBe(
      '{{ range service "cluster-prod.alertmanager-cluster|any" }}' +
        '{{ $host := .Address }}{{ if regexMatch "^[^\\\\[].*:" $host }}{{ $host = printf "[%s]" $host }}{{ end }}' +
        "--cluster.peer={{ $host }}:{{ .Port }}\n{{ end }}\n",
    );
    expect(byDestination["secrets/oncallWebhookUrl"]).toBe(
      '{{ with nomadVar "nomad/jobs/alertmanager/alertmanager/alertmanager" }}{{ .oncallWebhookUrl }}{{ end }}',
    );
    expect(alertmanagerConfig(alerting).receivers).toEqual([
      { name: "oncall", webhook_configs: [{ url_file: "/secrets/oncallWebhookUrl", send_resolved: true }] },
    ]);
  });

  it("keeps hostile matcher values intact through YAML and HCL", async () => {
    const hostile = 'alertname=~"a${b}%{c}\\"{{ d }}\\\\\\ne"';
    const model = modelOf(
      parseRaw(deployedRaw({ route: { receiver: "oncall", routes: [{ receiver: "oncall", matchers: [hostile] }] } })),
    );
    const { task } = await parseJobspec(renderAlertmanagerJob(model, model.alertmanager!).hcl);
    const data = decodeTemplateEscapes(String(blocks(task, "template")[0]!.data));
    const parsed = parseYaml(data) as { route: { routes: { matchers: string[] }[] } };
    expect(parsed.route.routes[0]!.matchers).toEqual([hostile]);
  });
});

function only<T>(list: T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe("prod's inhibition rules", () => {
  const model = loadModel("prod");
  const alerting = model.config.prometheus.alerting;
  const forOf = new Map(alertDefinitions(model).map((d) => [d.alert, prometheusDurationMs(d.for)]));
  const alertNamed = (matchers: readonly string[]) => {
    const names = matchers.flatMap((m) => /^alertname="([^"]+)"$/.exec(m)?.[1] ?? []);
    expect(names, `one alertname matcher in ${JSON.stringify(matchers)}`).toHaveLength(1);
    return names[0]!;
  };
  const rules = alerting.delivery === "deployed" ? alerting.inhibitRules : [];

  it("exist, muting a leader alert while its cause fires", () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  it.each(rules.map((rule, i) => [i, rule] as const))(
    "rule %i names alerts of the stack, whose source fires no later than its target, so the first page is the cause's",
    (_, rule) => {
      const source = alertNamed(rule.sourceMatchers);
      const target = alertNamed(rule.targetMatchers);
      expect(forOf.get(source), source).toBeDefined();
      expect(forOf.get(target), target).toBeDefined();
      expect(forOf.get(source)!).toBeLessThanOrEqual(forOf.get(target)!);
    },
  );
});
