// A real `nomad agent -dev` on loopback with free ports, and the job commands the tests run against it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { NameServerHosts } from "../../config";
import { hclString } from "../../render";
import { only, type HclBody, type ParsedJob } from "./hcl";
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
 * Starts a dev agent (server + client) bound to 127.0.0.1 with its own data dir and OS-chosen ports. Its
 * Consul address is a closed loopback port with every auto-join and advertisement off: a developer's own
 * Consul on 8500 must never receive this agent's "nomad" services. No Docker daemon is needed: jobs are
 * registered and stored, their placement may fail.
 */
export async function startNomad(hosts: NameServerHosts): Promise<NomadAgent> {
  const [httpPort, rpcPort, serfPort] = await freePorts(3);
  const dir = tempDir("nomad");
  const configFile = path.join(dir, "agent.hcl");
  fs.writeFileSync(
    configFile,
    [
      `ports {\n  http = ${httpPort}\n  rpc  = ${rpcPort}\n  serf = ${serfPort}\n}\n`,
      nameServerSelection(hosts).clientHcl,
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
  const getJson = async <T>(apiPath: string): Promise<T> => {
    const { status, text } = await http(`${url}${apiPath}`);
    if (status !== 200) throw new Error(`GET ${apiPath}: ${status} ${text}`);
    return JSON.parse(text) as T;
  };
  const agent: NomadAgent = {
    process: proc,
    url,
    cli: (args) => runToolAsync("nomad", args, { NOMAD_ADDR: url }),
    job: (id) => getJson<NomadJob>(`/v1/job/${encodeURIComponent(id)}`),
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
