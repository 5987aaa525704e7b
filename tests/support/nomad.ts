// A real `nomad agent -dev` on loopback with free ports, and the job commands the tests run against it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../../config";
import { agentHclString, nomadClientHcl, writeHcl, type HclEntry } from "../../render";
import { labelled, only, parseHcl } from "./hcl";
import type { NomadJob, NomadJobPayload, NomadNode, PlanOutcome, PlanResponse } from "./nomad-api";
import { failureReasons } from "./nomad-api";
import { freePorts, http, runToolAsync, start, tempDir, waitFor, type Started } from "./processes";
import { modelOf } from "./stack";

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

/**
 * The rendered client config's NameServer-host mark (`node_class`, or `meta`) as a client stanza of its own:
 * the dev agent's node carries exactly what the image gives a NameServer host.
 */
export async function nameServerMarkStanza(clientHcl: string): Promise<string> {
  const client = only((await parseHcl(clientHcl)).client, "client");
  const mark: HclEntry[] = [];
  if (typeof client.node_class === "string") mark.push(["node_class", client.node_class]);
  if (client.meta !== undefined) mark.push(["meta", { map: client.meta as Record<string, string> }]);
  return writeHcl([{ block: "client", body: mark }], agentHclString);
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
 * Starts a dev agent (server + client) bound to 127.0.0.1 with its own data dir and OS-chosen ports, its
 * client a NameServer host of the stack's selection carrying the host volumes of the stack's generated Nomad
 * client config (at directories of its own). Its Consul is the tier's own (`consulHttpAddr`, a Consul on free
 * loopback ports): Nomad 1.4 and later add an implicit `${attr.consul.version} semver >= …` constraint to every
 * group with a Consul service, so a node without a Consul places none of the jobs. Auto-join and
 * advertisement stay off. No Docker daemon is needed: jobs are registered and stored, their placement may fail.
 */
export async function startNomad(cfg: StackConfig, consulHttpAddr: string): Promise<NomadAgent> {
  const [httpPort, rpcPort, serfPort] = await freePorts(3);
  const dir = tempDir("nomad");
  const configFile = path.join(dir, "agent.hcl");
  const datacenter = cfg.nomad.datacenters[0]!;
  const clientHcl = nomadClientHcl(modelOf(cfg, "test"), datacenter);
  const volumes = await declaredHostVolumes(clientHcl);
  fs.writeFileSync(
    configFile,
    [
      `ports {\n  http = ${httpPort}\n  rpc  = ${rpcPort}\n  serf = ${serfPort}\n}\n`,
      // The stack's region and first datacenter, not -dev's defaults: the CLI sends a job to its region, and
      // the scheduler only considers nodes in the job's datacenters.
      writeHcl(
        [
          ["region", cfg.nomad.region],
          ["datacenter", datacenter],
        ],
        agentHclString,
      ),
      await nameServerMarkStanza(clientHcl),
      hostVolumesAt(volumes, dir),
      writeHcl(
        [
          {
            block: "consul",
            body: [
              ["address", consulHttpAddr],
              ["auto_advertise", false],
              ["server_auto_join", false],
              ["client_auto_join", false],
            ],
          },
        ],
        agentHclString,
      ),
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
    "Nomad's client node to be ready with the tier's Consul fingerprinted (a consul.version node attribute)",
    async () => {
      const ready = (await agent.nodes()).find((node) => node.Status === "ready");
      if (ready === undefined) return undefined;
      const attributes = (await agent.node(ready.ID)).Attributes ?? {};
      return Object.keys(attributes).some(isConsulVersionAttribute) ? true : undefined;
    },
    { process: proc, timeoutMs: 60_000 },
  );
  return agent;
}

/** `consul.version`, or `consul.<cluster>.version` where Nomad 1.7+ fingerprints more than one Consul cluster. */
function isConsulVersionAttribute(name: string): boolean {
  return /^consul\.(?:[^.]+\.)?version$/.test(name);
}

/** `nomad job plan` exits 0 (no change) or 1 (allocations change); 255 means the plan failed. */
export const PLAN_ERROR_EXIT = 255;
