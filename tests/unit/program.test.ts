import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { loadStackFile } from "../../config";
import { renderJobs } from "../../render";
import { only, parseJobspec } from "../support/hcl";
import {
  isSecretInput,
  MOCK_TOKEN_SECRET,
  readStackFileConfig,
  runProgram,
  stackFileConfig,
  withoutSecrets,
} from "../support/pulumi";
import { loadStack, stackFile, STACKS, modelOf } from "../support/stack";
// The components' own tests run in this file's worker: every worker that runs a Pulumi test loads the SDK, and with
// it the TypeScript compiler (about 0.5 s of CPU each time).
import "./components.cases";

const TOKEN_KEY = "rocketmq-system-jobs:consulAclToken";
const MANAGEMENT_TOKEN = "mock-management-token-91c2";
// The Nomad job resources that hold a Consul token: Alertmanager never calls Consul (docs/alerting.md).
const TOKEN_JOBS = new Set(["nameserver-index-fabio", "prometheus-fabio", "prometheus"]);
const WEBHOOK_KEY = "rocketmq-system-jobs:oncallWebhookUrl";
const WEBHOOK_URL = "https://hooks.example.invalid/oncall/5c1e9d";

/** A stack's config as `pulumi up` would pass it: prod also has its secret management token and webhook URL. */
function deployConfig(stack: string): Record<string, unknown> {
  const config = stackFileConfig(stack);
  return stack === "prod" ? { ...config, [TOKEN_KEY]: MANAGEMENT_TOKEN, [WEBHOOK_KEY]: WEBHOOK_URL } : config;
}

const unmodified = new Map<string, ReturnType<typeof runProgram>>();

/** Runs the program; runs on a stack's unmodified config are shared, since the program is deterministic. */
function run(stack: string, config?: Record<string, unknown>) {
  const secretKeys = stack === "prod" ? [TOKEN_KEY, WEBHOOK_KEY] : [];
  if (config) return runProgram(stack, config, secretKeys);
  if (!unmodified.has(stack)) unmodified.set(stack, runProgram(stack, deployConfig(stack), secretKeys));
  return unmodified.get(stack)!;
}

describe.each(STACKS)("the Pulumi program on the %s stack", (stack) => {
  it("creates each system job as a component parenting one Nomad job with the rendered jobspec", async () => {
    const { resources, error } = await run(stack);
    expect(error).toBeUndefined();
    const components = resources.filter((r) =>
      /^rocketmq:system:(FabioSystemJob|PrometheusJob|AlertmanagerJob)$/.test(r.type),
    );
    const order = ["nameserver-index-fabio", "prometheus-fabio", "prometheus", "alertmanager"];
    const jobs = resources
      .filter((r) => r.type === "nomad:index/job:Job")
      .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    // prod deploys its Alertmanager; dev sends alerts nowhere.
    const deploysAlertmanager = stack === "prod";

    expect(components.map((c) => [c.type, c.name])).toEqual([
      ["rocketmq:system:FabioSystemJob", "nameserver-index-fabio"],
      ["rocketmq:system:FabioSystemJob", "prometheus-fabio"],
      ["rocketmq:system:PrometheusJob", "prometheus"],
      ...(deploysAlertmanager ? [["rocketmq:system:AlertmanagerJob", "alertmanager"]] : []),
    ]);
    expect(jobs.map((j) => j.name)).toEqual([
      "nameserver-index-fabio",
      "prometheus-fabio",
      "prometheus",
      ...(deploysAlertmanager ? ["alertmanager"] : []),
    ]);
    jobs.forEach((job, i) => expect(job.urn).toContain(`::${components[i]!.type}$nomad:index/job:Job::${job.name}`));

    const expected = renderJobs(modelOf(loadStack(stack), stack));
    expect(jobs.map((j) => j.inputs.jobspec)).toEqual(expected.map((j) => j.hcl));
    for (const job of jobs) expect(job.inputs).toMatchObject({ deregisterOnDestroy: true, purgeOnDestroy: false });
    // System jobs have no deployment to wait for; the Prometheus deployment is health-gated and waited on.
    expect(jobs.map((j) => j.inputs.detach)).toEqual([true, true, false, ...(deploysAlertmanager ? [false] : [])]);
  });

  it("tags the Prometheus service with the Prometheus Fabio's prefix from the same config value", async () => {
    const config = deployConfig(stack);
    const fabio = config["rocketmq-system-jobs:fabio"] as Record<string, Record<string, unknown>>;
    fabio.prometheus = { ...fabio.prometheus, tagPrefix: "changed-prefix-" };
    const { resources } = await run(stack, config);
    const prometheus = resources.find((r) => r.type === "nomad:index/job:Job" && r.name === "prometheus")!;
    const { group } = await parseJobspec(String(prometheus.inputs.jobspec));
    expect(only(group.service).tags).toContain(`${stack}.changed-prefix-/`);
  });

  it("exports the lookup pattern, job names and tag prefixes", async () => {
    const cfg = loadStack(stack);
    const { outputs } = await run(stack);
    expect(outputs).toEqual({
      nameServerIndexUrlPattern: "http://<nameserver-host>:8080/rocketmq/<subgroup>",
      nameServerIndexServiceTagPattern: `${stack}.rmq-nsindex-/rocketmq/<subgroup>`,
      nameServerIndexFabioJob: cfg.fabio.nameServerIndex.jobName,
      nameServerIndexTagPrefix: `${stack}.rmq-nsindex-`,
      nameServerIndexStack: { clusterName: stack, tagPrefix: `${stack}.rmq-nsindex-` },
      prometheusFabioJob: cfg.fabio.prometheus.jobName,
      prometheusFabioTagPrefix: `${stack}.rmq-prometheus-`,
      prometheusJob: cfg.prometheus.jobName,
      prometheusUrlPattern: "http://<nameserver-host>:9090/",
      alertDelivery:
        stack === "prod"
          ? 'alerts go to: the Alertmanager job "alertmanager" this stack deploys (2 instances), receivers oncall (webhook)'
          : "alerts go to: nowhere (delivery: none; development cluster; its alerts are read on Prometheus' /alerts page); they show only on Prometheus' /alerts page",
      ...(stack === "prod" ? { alertmanagerJob: "alertmanager" } : {}),
      consulAclPolicies: cfg.consul.acl.enabled
        ? [
            `rocketmq-${stack}_fabio-nameserver-index`,
            `rocketmq-${stack}_fabio-prometheus`,
            `rocketmq-${stack}_prometheus`,
          ]
        : [],
    });
  });
});

describe("the Pulumi program's deployed Alertmanager (prod)", () => {
  it("hands the webhook URL to the task's own Nomad Variable as a secret, and nowhere else", async () => {
    const { resources, outputs, error } = await run("prod");
    expect(error).toBeUndefined();
    const variable = resources.find(
      (r) =>
        r.type === "nomad:index/variable:Variable" &&
        r.inputs.path === "nomad/jobs/alertmanager/alertmanager/alertmanager",
    )!;
    expect(isSecretInput(variable.inputs.items)).toBe(true);
    const job = resources.find((r) => r.type === "nomad:index/job:Job" && r.name === "alertmanager")!;
    expect(job.dependencies).toContain(variable.urn);
    const visible = JSON.stringify(withoutSecrets(resources.map((r) => r.inputs))) + JSON.stringify(outputs);
    expect(visible).not.toContain(WEBHOOK_URL);
    expect(outputs.alertDelivery).toMatch(/^alerts go to: the Alertmanager job "alertmanager" this stack deploys/);
  });

  it("fails naming the receiver's key when the secret it names is not set", async () => {
    const config = deployConfig("prod");
    delete config[WEBHOOK_KEY];
    const { error, resources } = await runProgram("prod", config, [TOKEN_KEY]);
    expect((error as Error).message).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.alerting.receivers[0].webhooks[0].urlSecret: names the secret "oncallWebhookUrl", which is not set; set it with `pulumi config set --secret oncallWebhookUrl <value>`',
    );
    expect(resources).toEqual([]);
  });
});

describe("the Pulumi program on bad config", () => {
  it("fails with the stack file and key named, before registering any resource", async () => {
    const config = stackFileConfig("prod");
    const fabio = config["rocketmq-system-jobs:fabio"] as Record<string, Record<string, unknown>>;
    fabio.prometheus = { ...fabio.prometheus, proxyPort: 8080 };
    const { error, resources } = await runProgram("prod", config);
    expect((error as Error).message).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.proxyPort: port 8080 is already used by fabio.nameServerIndex.proxyPort on the same host",
    );
    // RunError is how a Pulumi program reports a user error without a stack trace.
    expect((error as Error).constructor.name).toBe("RunError");
    expect(resources).toEqual([]);
  });
});

describe("the Pulumi program on a secret stored in plain text", () => {
  it("refuses it as the render CLI does, naming the stack file and key, before registering any resource", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plain-secret-"));
    const committed = fs.readFileSync(stackFile("prod"), "utf8");
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), `${committed}  rocketmq-system-jobs:consulAclToken: s3cr3t\n`);
    const cwd = vi.spyOn(process, "cwd").mockReturnValue(dir);
    try {
      const config = { ...stackFileConfig("prod"), "rocketmq-system-jobs:consulAclToken": "s3cr3t" };
      const { error, resources } = await runProgram("prod", config, ["rocketmq-system-jobs:consulAclToken"]);
      expect((error as Error).message).toBe(
        "Pulumi.prod.yaml: rocketmq-system-jobs:consulAclToken: is stored in plain text; set it with `pulumi config set --secret consulAclToken <value>`",
      );
      expect(resources).toEqual([]);
    } finally {
      cwd.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Pulumi program on a stack file with several mistakes", () => {
  it("reports every one, a line each, without a stack trace and before registering any resource", async () => {
    const config = stackFileConfig("prod");
    const prometheus = config["rocketmq-system-jobs:prometheus"] as Record<string, unknown>;
    config["rocketmq-system-jobs:prometheus"] = { ...prometheus, scrapeInterval: 5, jobName: "Prometheus" };
    const { error, resources } = await runProgram("prod", config);
    expect((error as Error).message.split("\n")).toEqual([
      "Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.jobName: must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit; it is \"Prometheus\"",
      "Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.scrapeInterval: must be a Prometheus duration such as 15s, 5m or 15d; it is the number 5",
    ]);
    expect((error as Error).constructor.name).toBe("RunError");
    expect(resources).toEqual([]);
  });
});

describe("one stack file, read by the render CLI and by the Pulumi program", () => {
  /** What a config leads to: the error message, or the jobspecs that would be deployed. */
  type Outcome = { error: string } | { jobspecs: string[] };

  const viaCli = (file: string): Outcome => {
    try {
      return { jobspecs: renderJobs(modelOf(loadStackFile(file), "dev")).map((job) => job.hcl) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  const viaProgram = async (file: string): Promise<Outcome> => {
    const { error, resources } = await runProgram("dev", readStackFileConfig(file));
    if (error !== undefined) return { error: (error as Error).message };
    return { jobspecs: resources.filter((r) => r.type === "nomad:index/job:Job").map((r) => String(r.inputs.jobspec)) };
  };
  const devWith = (from: string, to: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "both-paths-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "Pulumi.dev.yaml");
    const text = fs.readFileSync(stackFile("dev"), "utf8");
    expect(text).toContain(from);
    fs.writeFileSync(file, text.replace(from, to));
    return file;
  };

  // Pulumi hands a top-level scalar to the program as the text written in the file (quotes removed), so
  // `clusterName: 2024` and `clusterName: "2024"` are the same name, `1e3` stays "1e3" rather than "1000", and
  // an empty or null value arrives as "" (empty text).
  const empty = /^Pulumi\.dev\.yaml: rocketmq-system-jobs:clusterName: is empty/;
  const notDns = /^Pulumi\.dev\.yaml: rocketmq-system-jobs:clusterName: must be 1-63 lower-case letters/;
  it.each<[string, string | RegExp]>([
    ['"2024"', "2024"],
    ["2024", "2024"],
    ["true", "true"],
    ['"1e3"', "1e3"],
    ["1e3", "1e3"],
    ["0x1f", "0x1f"],
    ["010", "010"],
    ["1.0", notDns],
    ["null", empty],
    ['"null"', "null"],
    ["", empty],
  ])("gives the same outcome for clusterName: %s", async (yamlValue, expected) => {
    const file = devWith("rocketmq-system-jobs:clusterName: dev", `rocketmq-system-jobs:clusterName: ${yamlValue}`);
    const cli = viaCli(file);
    expect(await viaProgram(file)).toEqual(cli);
    if (expected instanceof RegExp) {
      expect(cli).toEqual({ error: expect.stringMatching(expected) });
    } else {
      expect(loadStackFile(file).clusterName).toBe(expected);
    }
  });

  it("rejects a key under a misspelt namespace in both, naming it", async () => {
    const file = devWith("rocketmq-system-jobs:fabio:", "rocketmq-sytem-jobs:fabio:");
    const cli = viaCli(file);
    expect(cli).toEqual({
      error:
        'Pulumi.dev.yaml: rocketmq-sytem-jobs:fabio: "rocketmq-sytem-jobs" is not a config namespace of this program (rocketmq-system-jobs, nomad, pulumi); check the spelling',
    });
    expect(await viaProgram(file)).toEqual(cli);
  });

  it.each([
    ["a nested boolean given as text", "enabled: false", 'enabled: "false"'],
    ["a nested port given as text", "proxyPort: 8080", 'proxyPort: "8080"'],
  ])("rejects %s in both", async (_what, from, to) => {
    const file = devWith(from, to);
    const cli = viaCli(file);
    expect(cli).toHaveProperty("error");
    expect(await viaProgram(file)).toEqual(cli);
  });
});

describe("Consul ACLs in the Pulumi program", () => {
  it("creates nothing ACL-related and reads no token when ACLs are off (dev)", async () => {
    const { resources, error } = await run("dev");
    expect(error).toBeUndefined();
    expect(resources.filter((r) => /consul|Variable|ConsulAccess/.test(r.type))).toEqual([]);
    for (const job of resources.filter((r) => r.type === "nomad:index/job:Job")) {
      expect(String(job.inputs.jobspec)).not.toContain("nomadVar");
    }
  });

  it("gives each job its own policy, token and Nomad Variable under one ConsulAccess component (prod)", async () => {
    const { resources, error } = await run("prod");
    expect(error).toBeUndefined();
    const access = resources.filter((r) => r.type === "rocketmq:system:ConsulAccess");
    expect(access.map((a) => a.name)).toEqual([
      "fabio-nameserver-index-consul-access",
      "fabio-prometheus-consul-access",
      "prometheus-consul-access",
    ]);
    for (const type of [
      "consul:index/aclPolicy:AclPolicy",
      "consul:index/aclToken:AclToken",
      "nomad:index/variable:Variable",
    ]) {
      const children = resources.filter((r) => r.type === type && r.urn.includes("ConsulAccess"));
      expect(children.map((c) => c.name)).toEqual(access.map((a) => a.name));
      for (const child of children) expect(child.urn).toContain(`::rocketmq:system:ConsulAccess$${type}::`);
    }
    const policies = resources.filter((r) => r.type === "consul:index/aclPolicy:AclPolicy");
    expect(policies.map((p) => p.inputs.name)).toEqual([
      "rocketmq-prod_fabio-nameserver-index",
      "rocketmq-prod_fabio-prometheus",
      "rocketmq-prod_prometheus",
    ]);
    expect(policies[0]!.inputs.rules).toContain('key_prefix "fabio/prod/fabio-nameserver-index/"');
    const variables = resources.filter(
      (r) => r.type === "nomad:index/variable:Variable" && r.urn.includes("ConsulAccess"),
    );
    expect(variables.map((v) => v.inputs.path)).toEqual([
      "nomad/jobs/fabio-nameserver-index",
      "nomad/jobs/fabio-prometheus",
      "nomad/jobs/prometheus",
    ]);
  });

  it("keeps the token secret: Variable items and the provider token are secret, nothing else holds either", async () => {
    const { resources, outputs } = await run("prod");
    const variables = resources.filter((r) => r.type === "nomad:index/variable:Variable");
    for (const variable of variables) expect(isSecretInput(variable.inputs.items)).toBe(true);
    const provider = resources.find((r) => r.type === "pulumi:providers:consul")!;
    expect(isSecretInput(provider.inputs.token)).toBe(true);

    const visible = JSON.stringify(withoutSecrets(resources.map((r) => r.inputs))) + JSON.stringify(outputs);
    expect(visible).not.toContain(MOCK_TOKEN_SECRET);
    expect(visible).not.toContain(MANAGEMENT_TOKEN);
  });

  it("reads each job's token from its own Nomad Variable in the jobspec, never the token itself", async () => {
    const { resources } = await run("prod");
    const jobs = resources.filter((r) => r.type === "nomad:index/job:Job" && TOKEN_JOBS.has(r.name));
    expect(jobs).toHaveLength(TOKEN_JOBS.size);
    for (const job of jobs) {
      const jobspec = String(job.inputs.jobspec);
      const jobId = /^job "([^"]+)"/m.exec(jobspec)![1];
      expect(jobspec).toContain(`{{ with nomadVar "nomad/jobs/${jobId}" }}{{ .consul_token }}{{ end }}`);
      expect(jobspec).not.toContain(MOCK_TOKEN_SECRET);
    }
  });

  it("manages ACLs through an explicit Consul provider at the configured API", async () => {
    const { resources } = await run("prod");
    const provider = resources.find((r) => r.type === "pulumi:providers:consul");
    expect(provider?.inputs).toMatchObject({ address: "consul.prod.internal:8501", scheme: "https" });
  });

  it("holds each job back until its own token is in its Nomad Variable", async () => {
    const { resources } = await run("prod");
    const variables = resources.filter(
      (r) => r.type === "nomad:index/variable:Variable" && r.urn.includes("ConsulAccess"),
    );
    const jobs = resources.filter((r) => r.type === "nomad:index/job:Job" && TOKEN_JOBS.has(r.name));
    expect(jobs).toHaveLength(TOKEN_JOBS.size);
    jobs.forEach((job, i) => {
      expect(job.dependencies).toContain(variables[i]!.urn);
      for (const other of variables.filter((_, j) => j !== i)) expect(job.dependencies).not.toContain(other.urn);
    });
  });

  it("fails naming the key when ACLs are on and no management token is configured", async () => {
    const config = { ...stackFileConfig("prod"), [WEBHOOK_KEY]: WEBHOOK_URL };
    const { error, resources } = await runProgram("prod", config, [WEBHOOK_KEY]);
    expect((error as Error).message).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:consulAclToken: is required when consul.acl.enabled is true; set it with `pulumi config set --secret consulAclToken <token>`",
    );
    expect((error as Error).constructor.name).toBe("RunError");
    expect(resources).toEqual([]);
  });
});
