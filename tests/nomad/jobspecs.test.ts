// Every jobspec the render CLI writes, checked by a real Nomad dev agent (the Nomad tier: npm run test:nomad): validate, plan, register,
// and read back what Nomad actually stored.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FABIO_ROLES } from "../../config";
import {
  fabioProperties,
  MANIFEST_PATH,
  nomadClientHcl,
  renderArtifacts,
  renderJobs,
  type RenderedJob,
} from "../../render";
import { nanoseconds } from "../support/go-duration";
import { blocks, jobspecServices, labelled, only, parseJobspec, type HclBody, type ParsedJob } from "../support/hcl";
import { declaredHostVolumes, PLAN_ERROR_EXIT, startNomad, type NomadAgent } from "../support/nomad";
import {
  DOCKER_STAND_IN,
  MISSING_DRIVERS,
  placementProblems,
  withDriver,
  type NomadConstraint,
  type NomadJob,
  type NomadNetwork,
  type NomadService,
  type NomadTask,
  type NomadTaskGroup,
} from "../support/nomad-api";
import { startConsul, type ConsulAgent } from "../support/consul";
import { requireTools, stopAll, tempDir } from "../support/processes";
import { loadStack, STACKS, modelOf } from "../support/stack";

const haveTools = requireTools("nomad", "consul");

/** The constraint both stacks' Fabios select NameServer hosts with, as Nomad stores it (both pick by node class). */
const NAME_SERVER_HOST: NomadConstraint = { LTarget: "${node.class}", RTarget: "nameServer", Operand: "=" };

/** Nomad's filter reason for a node that already runs an allocation of a `distinct_hosts` job. */
const DISTINCT_HOSTS = "distinct_hosts";

const byLabel = (a: { Label: string }, b: { Label: string }): number => a.Label.localeCompare(b.Label);

/** The update stanza's attributes and their API field; durations are stored in nanoseconds. */
const UPDATE_FIELDS: Record<string, { field: string; duration?: true }> = {
  max_parallel: { field: "MaxParallel" },
  health_check: { field: "HealthCheck" },
  auto_revert: { field: "AutoRevert" },
  auto_promote: { field: "AutoPromote" },
  canary: { field: "Canary" },
  stagger: { field: "Stagger", duration: true },
  min_healthy_time: { field: "MinHealthyTime", duration: true },
  healthy_deadline: { field: "HealthyDeadline", duration: true },
  progress_deadline: { field: "ProgressDeadline", duration: true },
};

function storedUpdate(update: HclBody): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(update).map(([key, value]) => {
      const known = UPDATE_FIELDS[key];
      if (known === undefined) throw new Error(`update.${key}: add it to UPDATE_FIELDS so the test checks it`);
      return [known.field, known.duration ? nanoseconds(String(value)) : value];
    }),
  );
}

/**
 * What Nomad must store for a jobspec, read from the jobspec itself with HashiCorp's HCL parser: the job
 * type, constraints, static and dynamic ports, services with their check paths, the update stanza and
 * every template. A block Nomad ignored, moved or decoded differently shows up as a mismatch.
 */
function expectedStoredJob({ id, job, group, task }: ParsedJob): Record<string, unknown> {
  const ports = labelled(only(blocks(group, "network"), "network"), "port").sort(([a], [b]) => a.localeCompare(b));
  const services = jobspecServices({ group, task }).map((service) => ({
    Name: service.name,
    PortLabel: service.port,
    Tags: service.tags ?? null,
    // Nomad stores an absent string argument as "" (a tcp check has no path).
    Checks: blocks(service, "check").map((check) => ({ Type: check.type, Path: check.path ?? "" })),
  }));
  const update = only(blocks(job, "update"), "update");
  return {
    ID: id,
    Type: job.type,
    Region: job.region,
    Datacenters: job.datacenters,
    Constraints:
      blocks(job, "constraint").length === 0
        ? null
        : blocks(job, "constraint").map((c) => ({
            // Nomad's parser stores an absent attribute or value as "" (`operator = "distinct_hosts"` has no attribute).
            LTarget: c.attribute ?? "",
            RTarget: c.value ?? "",
            Operand: c.operator ?? "=",
          })),
    TaskGroups: [
      {
        // Nomad keeps only max_parallel and stagger on the job and stores the effective policy per group.
        Update: storedUpdate(update),
        Networks: [
          {
            ReservedPorts: ports
              .filter(([, port]) => port.static !== undefined)
              .map(([label, port]) => ({ Label: label, Value: port.static })),
            DynamicPorts: ports
              .filter(([, port]) => port.static === undefined)
              .map(([label, port]) => ({ Label: label, To: port.to ?? 0 })),
          },
        ],
        // Every task in declaration order, as Nomad stores them (Prometheus has its blackbox-exporter beside it).
        Tasks: labelled(group, "task").map(([, each]) => ({
          Driver: each.driver,
          Templates: blocks(each, "template").map((template) => ({
            DestPath: template.destination,
            ChangeMode: template.change_mode,
            ChangeSignal: template.change_signal ?? "",
            LeftDelim: template.left_delimiter ?? "{{",
            RightDelim: template.right_delimiter ?? "}}",
            EmbeddedTmpl: template.data,
          })),
        })),
      },
    ],
    services,
  };
}

/** Services Nomad stored on the group and on its tasks. */
function storedServices(group: NomadTaskGroup): NomadService[] {
  return [...(group.Services ?? []), ...group.Tasks.flatMap((task) => task.Services ?? [])];
}

/** The stored job in the shape `expectedStoredJob` describes: ports sorted, services gathered. */
function storedShape(stored: NomadJob): Record<string, unknown> {
  const group = only<NomadTaskGroup>(stored.TaskGroups, "task group");
  const network = only<NomadNetwork>(group.Networks, "network");
  return {
    ...stored,
    TaskGroups: [
      {
        ...group,
        Networks: [
          {
            ReservedPorts: [...(network.ReservedPorts ?? [])].sort(byLabel),
            DynamicPorts: [...(network.DynamicPorts ?? [])].sort(byLabel),
          },
        ],
      },
    ],
    services: storedServices(group).map((service) => ({
      Name: service.Name,
      PortLabel: service.PortLabel,
      Tags: service.Tags,
      Checks: (service.Checks ?? []).map((check) => ({ Type: check.Type, Path: check.Path })),
    })),
  };
}

describe.skipIf(!haveTools).each(STACKS)("the %s stack's jobspecs on a real Nomad dev agent", (stack) => {
  const cfg = loadStack(stack);
  const jobs = renderJobs(modelOf(cfg, stack));
  const model = modelOf(cfg, stack);
  // What jobs/ holds besides jobspecs: the manifest and each Fabio's fabio.properties (read by no Nomad).
  const notJobspecs = new Set([
    MANIFEST_PATH,
    ...model.jobs.flatMap((job) => (job.kind === "fabio" ? [job.artifacts.fabioProperties] : [])),
  ]);
  const jobFiles = renderArtifacts(model).filter(
    (artifact) => artifact.path.startsWith("jobs/") && !notJobspecs.has(artifact.path),
  );
  const registered = new Map<string, Promise<NomadJob>>();
  let outDir: string;
  let nomad: NomadAgent;
  let consul: ConsulAgent;

  beforeAll(async () => {
    outDir = tempDir(`jobs-${stack}`);
    // The files exactly as the render CLI writes them, so Nomad reads what an operator would submit.
    for (const artifact of jobFiles) {
      fs.mkdirSync(path.dirname(path.join(outDir, artifact.path)), { recursive: true });
      fs.writeFileSync(path.join(outDir, artifact.path), artifact.content);
    }
    // The tier's own Consul: Nomad checks every group with a Consul service against the Consul it fingerprints.
    consul = await startConsul();
    nomad = await startNomad(cfg, consul.httpAddr);
    // Consul, then Nomad with its bounded wait for the Consul fingerprint (60s): more than the tier's default.
  }, 120_000);

  afterAll(async () => {
    await nomad?.stop();
    await consul?.stop();
    await stopAll();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  const fileOf = (job: RenderedJob): string => path.join(outDir, "jobs", `${job.name}.nomad.hcl`);

  /** Registers the job once per agent (`nomad job run -detach`) and reads back what Nomad stored. */
  function storedJob(job: RenderedJob): Promise<NomadJob> {
    let stored = registered.get(job.name);
    if (stored === undefined) {
      stored = nomad.cli(["job", "run", "-detach", fileOf(job)]).then((run) => {
        if (run.code !== 0) throw new Error(`nomad job run ${job.name} exited ${run.code}:\n${run.output}`);
        return nomad.job(job.name);
      });
      registered.set(job.name, stored);
    }
    return stored;
  }

  it("writes one jobspec file per Nomad job, so every file the render CLI writes is checked here", () => {
    expect(jobFiles.map((file) => file.path).sort()).toEqual(jobs.map((job) => `jobs/${job.name}.nomad.hcl`).sort());
    for (const job of jobs) expect(fs.readFileSync(fileOf(job), "utf8")).toBe(job.hcl);
  });

  it("runs the dev agent's client as a NameServer host of the stack's selection, with the generated client config's host volumes", async () => {
    const [stub] = await nomad.nodes();
    const node = await nomad.node(stub!.ID);
    expect(node.Status).toBe("ready");
    expect(cfg.nameServerHosts).toEqual({ by: "nodeClass", nodeClass: "nameServer" });
    expect(node.NodeClass).toBe("nameServer");
    const declared = await declaredHostVolumes(nomadClientHcl(modelOf(cfg, stack), cfg.nomad.datacenters[0]!));
    expect(Object.keys(node.HostVolumes ?? {}).sort()).toEqual(declared.map((v) => v.name).sort());
  });

  const byName = jobs.map((job) => [job.name, job] as const);

  it.each(byName)(
    "%s passes `nomad job validate`, and `nomad job plan` fails to place it only for want of Docker",
    async (_name, job) => {
      const validate = await nomad.cli(["job", "validate", fileOf(job)]);
      expect(validate.code, validate.output).toBe(0);
      expect(validate.output).toContain("Job validation successful");

      // 0: no change, 1: allocations would change, or some could not be placed (below: only for lack of Docker).
      const plan = await nomad.cli(["job", "plan", fileOf(job)]);
      expect([0, 1], plan.output).toContain(plan.code);
      const spec = await nomad.parse(fileOf(job));
      // A constraint on ${attr.consul.version} here would mean the agent lost the tier's Consul.
      const why = "unplaceable groups and the constraints that filtered this NameServer host";
      expect(placementProblems(await nomad.plan(spec), [MISSING_DRIVERS]), why).toEqual({});
      // Nomad stops at the first check a node fails; with a driver the node has, it checks the job's constraints, host
      // volumes, ports and resources against this NameServer host, and every group must place.
      // The dev agent is one host: of a job spread over distinct hosts (the deployed Alertmanager), one instance
      // places there and Nomad refuses the others by that constraint alone.
      const oneHost = job.kind === "alertmanager" ? [DISTINCT_HOSTS] : [];
      expect(placementProblems(await nomad.plan(withDriver(spec, DOCKER_STAND_IN)), oneHost), why).toEqual({});
    },
  );

  it("refuses, by the same placement check, a job that needs a host volume no NameServer host declares", async () => {
    const job = jobs.find((candidate) => candidate.kind === "prometheus")!;
    const spec = withDriver(await nomad.parse(fileOf(job)), DOCKER_STAND_IN);
    const group = spec.TaskGroups[0]!;
    group.Volumes = {
      ...group.Volumes,
      undeclared: { Name: "undeclared", Type: "host", Source: "undeclared", ReadOnly: false },
    };
    // Nomad's reason, "missing compatible host volumes" on 1.4; worded by version, it always names host volumes.
    expect(placementProblems(await nomad.plan(spec))).toEqual({ [group.Name]: [expect.stringMatching(/host volume/)] });
  });

  it("refuses, by the same placement check, a system job whose constraint selects no NameServer host", async () => {
    const job = jobs.find((candidate) => candidate.kind === "fabio")!;
    const spec = withDriver(await nomad.parse(fileOf(job)), DOCKER_STAND_IN);
    spec.Constraints = (spec.Constraints ?? []).map((c) => ({ ...c, RTarget: `not-${c.RTarget}` }));
    expect(spec.Constraints).toHaveLength(1);
    const [constraint] = spec.Constraints;
    const group = spec.TaskGroups[0]!.Name;
    const problems = placementProblems(await nomad.plan(spec));
    expect(Object.keys(problems)).toEqual([group]);
    // Before Nomad 1.4 a system job places nothing without a reason; from 1.4 on it names the constraint that
    // filtered every node, as `<attribute> <operator> <value>`.
    expect([
      ["placed on no node"],
      [`${constraint!.LTarget} ${constraint!.Operand} ${constraint!.RTarget}`],
    ]).toContainEqual(problems[group]);
  });

  it.each(byName)("%s is registered and Nomad stores what the jobspec says", async (_name, job) => {
    const expected = expectedStoredJob(await parseJobspec(job.hcl));
    expect(storedShape(await storedJob(job))).toMatchObject(expected);
  });

  it.each(FABIO_ROLES)(
    "Nomad stores the %s Fabio as a system job on NameServer hosts, on its static ports, restarted on config change",
    async (role) => {
      const instance = cfg.fabio[role];
      const job = jobs.find((candidate) => candidate.kind === "fabio" && candidate.name === instance.jobName);
      expect(job, `no rendered Fabio job named ${instance.jobName}`).toBeDefined();
      const stored = await storedJob(job!);

      expect(stored.Type).toBe("system");
      expect(stored.Constraints).toEqual([NAME_SERVER_HOST]);
      const group = only<NomadTaskGroup>(stored.TaskGroups, "task group");
      // One host at a time, so clients always find a lookup Fabio on the other NameServer hosts.
      expect(group.Update?.MaxParallel).toBe(1);
      const network = only<NomadNetwork>(group.Networks, "network");
      expect([...(network.ReservedPorts ?? [])].sort(byLabel)).toMatchObject([
        { Label: "metrics", Value: instance.metricsPort },
        { Label: "proxy", Value: instance.proxyPort },
        { Label: "ui", Value: instance.uiPort },
      ]);
      expect(network.DynamicPorts ?? []).toEqual([]);

      const [service, metrics] = group.Services ?? [];
      expect(service).toMatchObject({ Name: instance.jobName, PortLabel: "ui" });
      expect(service!.Tags).toContain(`cluster-${cfg.clusterName}`);
      expect(service!.Checks).toMatchObject([{ Type: "http", Path: "/health" }]);
      // What Prometheus' fabio scrape job discovers: Fabio's proto=prometheus listener.
      expect(metrics).toMatchObject({ Name: `${instance.jobName}-metrics`, PortLabel: "metrics" });

      const task = only<NomadTask>(group.Tasks, "task");
      expect(task.Templates?.[0]).toMatchObject({
        DestPath: "local/fabio.properties",
        ChangeMode: "restart",
        EmbeddedTmpl: fabioProperties(modelOf(cfg), role),
      });
      // With Consul ACLs the token arrives as CONSUL_HTTP_TOKEN from a secrets/ env file, not in the properties.
      expect(task.Templates?.slice(1)).toMatchObject(
        cfg.consul.acl.enabled ? [{ DestPath: "secrets/consul-token.env", Envvars: true, ChangeMode: "restart" }] : [],
      );
    },
  );

  it("Nomad stores Prometheus as a service job on a dynamic port, tagged for the Prometheus Fabio, reloaded by SIGHUP", async () => {
    const job = jobs.find((candidate) => candidate.kind === "prometheus");
    expect(job, 'renderJobs(modelOf()) returns no job of kind "prometheus" (render/prometheus-job.ts)').toBeDefined();
    const stored = await storedJob(job!);

    expect(stored.Type).toBe("service");
    const group = only<NomadTaskGroup>(stored.TaskGroups, "task group");
    const network = only<NomadNetwork>(group.Networks, "network");
    // The host's 9090 belongs to the Prometheus Fabio; Prometheus itself takes whatever port Nomad gives it.
    expect(network.ReservedPorts ?? []).toEqual([]);
    const service = only<NomadService>(storedServices(group), "Prometheus service");
    expect((network.DynamicPorts ?? []).map((port) => port.Label)).toContain(service.PortLabel);
    expect(service.Tags).toContain(`${modelOf(cfg).fabios["prometheus"].tagPrefix}/`);
    // Host networking, listening on the dynamic port Nomad substitutes at task start.
    const task = only<NomadTask>(group.Tasks, "task");
    expect(task.Config).toMatchObject({ network_mode: "host" });
    expect(task.Config.args).toContain(`--web.listen-address=\${NOMAD_ADDR_${service.PortLabel}}`);

    const templates = group.Tasks.flatMap((task) => task.Templates ?? []);
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) {
      expect(template, template.DestPath).toMatchObject({ ChangeMode: "signal", ChangeSignal: "SIGHUP" });
    }
  });

  it("fails with Nomad's own message when a jobspec misspells `static` as `statik`", async () => {
    const job = jobs.find((candidate) => candidate.kind === "fabio")!;
    const broken = job.hcl.replace(/\bstatic\b/g, "statik");
    expect(broken).not.toBe(job.hcl);
    const file = path.join(outDir, "broken", `${job.name}.nomad.hcl`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, broken);

    const validate = await nomad.cli(["job", "validate", file]);
    expect(validate.code).not.toBe(0);
    expect(validate.output).toContain('An argument named "statik" is not expected here. Did you mean "static"?');
    const plan = await nomad.cli(["job", "plan", file]);
    expect(plan.code, plan.output).toBe(PLAN_ERROR_EXIT);
  });
});
