// A real `nomad agent -dev` on loopback with free ports, and the job commands the tests run against it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { NameServerHosts, StackConfig } from "../../config";
import { agentHclString, hclString, nomadClientHcl, writeHcl } from "../../render";
import { only, parseHcl, type HclBody, type ParsedJob } from "./hcl";
import { freePorts, http, runToolAsync, start, tempDir, waitFor, type Started } from "./processes";

/** The parts of Nomad's job API (`GET /v1/job/:id`) the tests assert on. */
export interface NomadConstraint {
  LTarget: string;
  RTarget: string;
  Operand: string;
}

export interface NomadPort {
  Label: string;
  Value: number;
  To: number;
}

export interface NomadCheck {
  Name: string;
  Type: string;
  Path: string;
  Interval: number;
  Timeout: number;
}

export interface NomadService {
  Name: string;
  PortLabel: string;
  Tags: string[] | null;
  Checks: NomadCheck[] | null;
}

export interface NomadTemplate {
  DestPath: string;
  ChangeMode: string;
  ChangeSignal: string;
  EmbeddedTmpl: string;
  LeftDelim: string;
  RightDelim: string;
}

export interface NomadTask {
  Name: string;
  Driver: string;
  Config: Record<string, unknown>;
  Services: NomadService[] | null;
  Templates: NomadTemplate[] | null;
}

/** Durations come back in nanoseconds. */
export interface NomadUpdate {
  MaxParallel: number;
  Stagger: number;
  HealthCheck: string;
  MinHealthyTime: number;
  HealthyDeadline: number;
  ProgressDeadline: number;
  AutoRevert: boolean;
}

export interface NomadNetwork {
  ReservedPorts: NomadPort[] | null;
  DynamicPorts: NomadPort[] | null;
}

export interface NomadTaskGroup {
  Name: string;
  Count: number;
  Networks: NomadNetwork[] | null;
  Services: NomadService[] | null;
  Tasks: NomadTask[];
  Update: NomadUpdate | null;
}

export interface NomadJob {
  ID: string;
  Type: string;
  Region: string;
  Datacenters: string[];
  Constraints: NomadConstraint[] | null;
  Update: NomadUpdate;
  TaskGroups: NomadTaskGroup[];
}

export interface NomadNode {
  ID: string;
  Status: string;
  NodeClass: string;
  /** Only in `GET /v1/node/:id`, not in the node list. */
  Meta?: Record<string, string> | null;
  /** Only in `GET /v1/node/:id`. */
  HostVolumes?: Record<string, { Name: string; Path: string; ReadOnly: boolean }> | null;
}

/** A job as the API takes it (`POST /v1/jobs/parse` returns it): the parts the tests change, the rest kept as is. */
export interface NomadJobPayload {
  ID: string;
  Constraints: NomadConstraint[] | null;
  TaskGroups: {
    Name: string;
    Volumes: Record<string, { Name: string; Type: string; Source: string; ReadOnly: boolean }> | null;
    Tasks: { Name: string; Driver: string; [field: string]: unknown }[];
    [field: string]: unknown;
  }[];
  [field: string]: unknown;
}

/** Why the scheduler could not place a group, one `AllocMetric` of a plan's `FailedTGAllocs`. */
interface AllocMetric {
  NodesEvaluated: number;
  NodesExhausted: number;
  ConstraintFiltered: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
}

interface PlanResponse {
  FailedTGAllocs: Record<string, AllocMetric> | null;
  Annotations: { DesiredTGUpdates: Record<string, { Place: number }> | null };
}

/** What a scheduler dry run (`PUT /v1/job/:id/plan`) would do with a job, per task group. */
export interface PlanOutcome {
  /** Allocations the group would place; a system job places one per feasible node, silently none otherwise. */
  placed: Record<string, number>;
  /** The scheduler's reasons for allocations it could not place, e.g. "missing drivers". */
  failures: Record<string, string[]>;
}

/** Nomad's filter reason for a node without the task's driver (`nomad job plan`: Constraint "missing drivers"). */
export const MISSING_DRIVERS = "missing drivers";

function failureReasons(metric: AllocMetric): string[] {
  const reasons = [
    ...Object.keys(metric.ConstraintFiltered ?? {}),
    ...Object.keys(metric.DimensionExhausted ?? {}).map((dimension) => `exhausted ${dimension}`),
    ...(metric.QuotaExhausted ?? []).map((quota) => `quota ${quota}`),
  ];
  if (metric.NodesEvaluated === 0) reasons.push("no node in the job's datacenters");
  return reasons.length > 0 ? reasons : ["unplaced, no reason given"];
}

/**
 * The groups a plan does not fully place, with why: a failure reason not in `allowed`, or (when nothing may
 * fail) a group placed nowhere, which is how a system job reports that no node fits. Empty when all is well.
 */
export function placementProblems(outcome: PlanOutcome, allowed: readonly string[] = []): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const [group, placed] of Object.entries(outcome.placed)) {
    const failures = outcome.failures[group] ?? [];
    const unexpected = failures.filter((reason) => !allowed.includes(reason));
    if (unexpected.length > 0) problems[group] = unexpected;
    else if (allowed.length === 0 && placed === 0) problems[group] = ["placed on no node"];
  }
  return problems;
}

/**
 * The job with every task on `driver` instead of its own. Nomad checks a node's drivers before anything else
 * and stops at the first check that fails, so on a machine without Docker a plan never gets to constraints,
 * host volumes, ports or resources; a driver the dev node has (raw_exec) lets the scheduler check them all.
 */
export function withDriver(job: NomadJobPayload, driver: string): NomadJobPayload {
  const copy = structuredClone(job);
  for (const group of copy.TaskGroups) for (const task of group.Tasks) task.Driver = driver;
  return copy;
}

/** A driver every `nomad agent -dev` client has, standing in for Docker in plans. */
export const DOCKER_STAND_IN = "raw_exec";

/** The host volumes a rendered Nomad client config declares. */
export async function declaredHostVolumes(clientHcl: string): Promise<{ name: string; readOnly: boolean }[]> {
  const client = only((await parseHcl(clientHcl)).client, "client");
  return labelled(client, "host_volume").map(([name, body]) => ({ name, readOnly: body.read_only === true }));
}

/**
 * A client stanza with those host volumes at fresh directories under `dir`: the image's paths do not exist on
 * a test machine, and a Nomad client refuses to start while a host volume's path is missing.
 */
export function hostVolumesAt(volumes: { name: string; readOnly: boolean }[], dir: string): string {
  const entries = volumes.map(({ name, readOnly }) => {
    const volumePath = path.join(dir, "host-volumes", name);
    fs.mkdirSync(volumePath, { recursive: true });
    return {
      block: "host_volume",
      label: name,
      body: [
        ["path", volumePath],
        ["read_only", readOnly],
      ] as const,
    };
  });
  return entries.length === 0 ? "" : writeHcl([{ block: "client", body: entries }], agentHclString);
}

export interface CliResult {
  code: number;
  output: string;
}

export interface NomadAgent {
  readonly process: Started;
  /** `http://127.0.0.1:<port>`, also the NOMAD_ADDR every CLI call gets. */
  readonly url: string;
  /** Runs `nomad <args>` against this agent. */
  cli(args: string[]): Promise<CliResult>;
  job(id: string): Promise<NomadJob>;
  /** A jobspec file as the API takes it, parsed by Nomad itself (`POST /v1/jobs/parse`). */
  parse(file: string): Promise<NomadJobPayload>;
  /** A scheduler dry run of the job against this agent's node. */
  plan(job: NomadJobPayload): Promise<PlanOutcome>;
  nodes(): Promise<NomadNode[]>;
  node(id: string): Promise<NomadNode>;
  stop(): Promise<void>;
}

/**
 * How Nomad sees a NameServer host under the stack's selection: the client stanza that makes the dev node
 * one, the constraint (as Nomad stores it) that selects it, and whether a registered node is one.
 */
export function nameServerSelection(hosts: NameServerHosts): {
  clientHcl: string;
  constraint: NomadConstraint;
  selects(node: NomadNode): boolean;
} {
  switch (hosts.by) {
    case "nodeClass":
      return {
        clientHcl: `client {\n  node_class = ${hclString(hosts.nodeClass)}\n}\n`,
        constraint: { LTarget: "${node.class}", RTarget: hosts.nodeClass, Operand: "=" },
        selects: (node) => node.NodeClass === hosts.nodeClass,
      };
    case "meta":
      return {
        clientHcl: `client {\n  meta {\n    ${hclString(hosts.key)} = ${hclString(hosts.value)}\n  }\n}\n`,
        constraint: { LTarget: `\${meta.${hosts.key}}`, RTarget: hosts.value, Operand: "=" },
        selects: (node) => node.Meta?.[hosts.key] === hosts.value,
      };
    default: {
      const unreachable: never = hosts;
      throw new Error(`unknown host selection ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Starts a dev agent (server + client) bound to 127.0.0.1 with its own data dir and OS-chosen ports, its
 * client a NameServer host of the stack's selection carrying the host volumes of the stack's generated Nomad
 * client config (at directories of its own). Its Consul address is a closed loopback port with every
 * auto-join and advertisement off: a developer's own Consul on 8500 must never receive this agent's "nomad"
 * services. No Docker daemon is needed: jobs are registered and stored, their placement may fail.
 */
export async function startNomad(cfg: StackConfig): Promise<NomadAgent> {
  const [httpPort, rpcPort, serfPort] = await freePorts(3);
  const dir = tempDir("nomad");
  const configFile = path.join(dir, "agent.hcl");
  const volumes = await declaredHostVolumes(nomadClientHcl(cfg, "test", cfg.nomad.datacenters[0]!));
  fs.writeFileSync(
    configFile,
    [
      `ports {\n  http = ${httpPort}\n  rpc  = ${rpcPort}\n  serf = ${serfPort}\n}\n`,
      nameServerSelection(cfg.nameServerHosts).clientHcl,
      hostVolumesAt(volumes, dir),
      `consul {\n  address          = "127.0.0.1:1"\n  auto_advertise   = false\n  server_auto_join = false\n  client_auto_join = false\n}\n`,
      `disable_update_check = true\n`,
    ].join("\n"),
  );
  const proc = start("nomad", [
    "agent",
    "-dev",
    "-bind=127.0.0.1",
    "-network-interface=lo",
    `-data-dir=${path.join(dir, "data")}`,
    `-config=${configFile}`,
  ]);
  const url = `http://127.0.0.1:${httpPort}`;
  const call = async <T>(apiPath: string, method = "GET", body?: unknown): Promise<T> => {
    const { status, text } = await http(`${url}${apiPath}`, { method, body });
    if (status !== 200) throw new Error(`${method} ${apiPath}: ${status} ${text}`);
    return JSON.parse(text) as T;
  };
  const getJson = <T>(apiPath: string): Promise<T> => call<T>(apiPath);
  const agent: NomadAgent = {
    process: proc,
    url,
    cli: (args) => runToolAsync("nomad", args, { NOMAD_ADDR: url }),
    job: (id) => getJson<NomadJob>(`/v1/job/${encodeURIComponent(id)}`),
    parse: (file) => call<NomadJobPayload>("/v1/jobs/parse", "POST", { JobHCL: fs.readFileSync(file, "utf8") }),
    plan: async (job) => {
      const plan = await call<PlanResponse>(`/v1/job/${encodeURIComponent(job.ID)}/plan`, "PUT", { Job: job });
      return {
        placed: Object.fromEntries(
          Object.entries(plan.Annotations.DesiredTGUpdates ?? {}).map(([group, u]) => [group, u.Place]),
        ),
        failures: Object.fromEntries(
          Object.entries(plan.FailedTGAllocs ?? {}).map(([group, metric]) => [group, failureReasons(metric)]),
        ),
      };
    },
    nodes: () => getJson<NomadNode[]>("/v1/nodes"),
    node: (id) => getJson<NomadNode>(`/v1/node/${encodeURIComponent(id)}`),
    stop: async () => {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitFor(
    "Nomad's client node to be ready",
    async () => ((await agent.nodes()).some((node) => node.Status === "ready") ? true : undefined),
    { process: proc, timeoutMs: 30_000 },
  );
  return agent;
}

/** `nomad job plan` exits 0 (no change) or 1 (allocations change); 255 means the plan failed. */
export const PLAN_ERROR_EXIT = 255;

/** Go duration strings as Nomad stores them, in nanoseconds ("30s" → 30e9). */
export function nanoseconds(duration: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== duration) {
    throw new Error(`not a Go duration: ${JSON.stringify(duration)}`);
  }
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * units[unit!]!, 0);
}

/** hcl2json gives every block as a list; an absent block is an empty one. */
export function blocks(body: HclBody, key: string): HclBody[] {
  return (body[key] as HclBody[] | undefined) ?? [];
}

/** Blocks with a label (`port "proxy" { … }`) come back as `{ label: [body] }`. */
export function labelled(body: HclBody, key: string): [string, HclBody][] {
  return Object.entries((body[key] as Record<string, HclBody[]> | undefined) ?? {}).map(([label, list]) => [
    label,
    only(list, `${key} "${label}"`),
  ]);
}

/** A parsed jobspec's service blocks, whether declared on the group or on the task. */
export function jobspecServices({ group, task }: Pick<ParsedJob, "group" | "task">): HclBody[] {
  return [...blocks(group, "service"), ...blocks(task, "service")];
}
