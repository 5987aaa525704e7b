// Real Consul and Nomad agents started from generated image files, plus one small override file that turns a
// cluster member into a single local node. Everything the override does not set comes from the image files.
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../../config";
import {
  agentHclString,
  aclPolicyHcl,
  CONSUL_AGENT_TOKEN,
  CONSUL_BOOT_SERVICE_FILE_NAME,
  CONSUL_HTTP_SERVICE_TOKEN,
  NOMAD_CONSUL_TOKEN,
  NOMAD_CONSUL_TOKEN_FILE,
  renderImageFiles,
  writeHcl,
} from "../../render";
import { waitForConsulLeader } from "./consul";
import { declaredHostVolumes, hostVolumesAt } from "./nomad";
import { freePort, freePorts, http, runToolAsync, start, tempDir, waitFor, type Started } from "./processes";
import { modelOf } from "./stack";

export interface Agent {
  readonly process: Started;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The agent's data_dir. */
  readonly dataDir: string;
  /** GET a JSON API path, failing on any status but 200. */
  getJson<T>(apiPath: string): Promise<T>;
  stop(): Promise<void>;
}

function agent(proc: Started, url: string, dir: string): Agent {
  return {
    process: proc,
    url,
    dataDir: path.join(dir, "data"),
    getJson: async <T>(apiPath: string): Promise<T> => {
      const { status, text } = await http(`${url}${apiPath}`);
      if (status !== 200) throw new Error(`GET ${apiPath}: ${status} ${text}`);
      return JSON.parse(text) as T;
    },
    stop: async () => {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes the image files into a fresh directory, as they would sit in /etc/<agent>.d, plus the test's
 * override file last (so it wins). `override` gets the directory, for a data_dir inside it.
 */
function writeConfigDir(
  prefix: string,
  files: { name: string; content: string }[],
  override: (dir: string) => string[],
): { dir: string; configs: string[] } {
  const dir = tempDir(prefix);
  const configs = [...files, { name: "zz-test-override.hcl", content: [...override(dir), ""].join("\n") }].map(
    (file) => {
      const target = path.join(dir, path.basename(file.name));
      fs.writeFileSync(target, file.content);
      return target;
    },
  );
  return { dir, configs };
}

/**
 * A Consul server (not -dev: the image's `server`, `bootstrap_expect`, `ui` and telemetry apply as written)
 * from the image files. `httpPort` must be the one the files were rendered with, since the consul_http check
 * calls it. The override, the only file not generated:
 *   data_dir          a temporary directory instead of /opt/consul
 *   bind_addr         127.0.0.1 (or `bindAddr`) instead of {{ GetPrivateIP }}, so the node stays on loopback
 *   client_addr       127.0.0.1 instead of 0.0.0.0, unless `keepClientAddr` keeps the file's (it must then
 *                     include 127.0.0.1, where the test and the consul_http check call the API)
 *   bootstrap_expect  1: this single server elects itself (the files' retry_join targets are never reached);
 *                     with `bootstrapExpect` above 1 it waits for peers that never come: a cluster without a leader
 *   node_name         a fixed name instead of the hostname
 *   performance       raft_multiplier = 1 (Consul's dev timing): a lone server elects itself in ~1s, not ~9s
 *   ports             free ports for DNS, serf and server RPC
 */
export async function startConsulServer(
  files: { name: string; content: string }[],
  httpPort: number,
  {
    bootstrapExpect = 1,
    bindAddr = "127.0.0.1",
    keepClientAddr = false,
  }: { bootstrapExpect?: number; bindAddr?: string; keepClientAddr?: boolean } = {},
): Promise<Agent> {
  const [dns, serfLan, serfWan, server] = await freePorts(4);
  const { dir, configs } = writeConfigDir("consul-image", files, (dir) => [
    `data_dir         = "${path.join(dir, "data")}"`,
    `bind_addr        = "${bindAddr}"`,
    ...(keepClientAddr ? [] : [`client_addr      = "127.0.0.1"`]),
    `bootstrap_expect = ${bootstrapExpect}`,
    `node_name        = "image-test"`,
    `performance {
  raft_multiplier = 1
}`,
    `ports {\n  dns      = ${dns}\n  serf_lan = ${serfLan}\n  serf_wan = ${serfWan}\n  server   = ${server}\n}`,
  ]);
  const proc = start("consul", ["agent", ...configs.flatMap((f) => ["-config-file", f])]);
  const url = `http://127.0.0.1:${httpPort}`;
  if (bootstrapExpect === 1) await waitForConsulLeader(url, proc);
  else
    await waitFor(
      "Consul's HTTP API",
      async () => ((await http(`${url}/v1/status/leader`)).status === 200 ? true : undefined),
      { process: proc },
    );
  return agent(proc, url, dir);
}

/**
 * A Consul client agent from the image's client file alone, the way a Nomad host runs it: bind_addr and
 * client_addr stay as generated (they are what is under test), the HTTP port is the one in the file. The
 * override: data_dir, node_name, advertise_addr 127.0.0.1 (a wildcard bind_addr needs one on a machine with
 * no private address), free DNS and serf ports. Ready when its HTTP API answers on loopback; it has no server.
 */
export async function startConsulClient(clientHcl: string, httpPort: number): Promise<Agent> {
  const [dns, serfLan] = await freePorts(2);
  const { dir, configs } = writeConfigDir(
    "consul-client",
    [{ name: "consul-client.hcl", content: clientHcl }],
    (dir) => [
      `data_dir       = "${path.join(dir, "data")}"`,
      `node_name      = "image-client-test"`,
      `advertise_addr = "127.0.0.1"`,
      `ports {\n  dns      = ${dns}\n  serf_lan = ${serfLan}\n}`,
    ],
  );
  const proc = start("consul", ["agent", ...configs.flatMap((f) => ["-config-file", f])]);
  const url = `http://127.0.0.1:${httpPort}`;
  await waitFor(
    "the Consul client's HTTP API on loopback",
    async () => ((await http(`${url}/v1/agent/self`)).status === 200 ? true : undefined),
    {
      process: proc,
    },
  );
  return agent(proc, url, dir);
}

/** What the test's stand-in for the boot step handed out, by policy name, plus the management token. */
export interface BootedAcl {
  /** The bootstrap (management) token: only the test knows it, no file holds it. */
  management: string;
  tokens: Record<string, string>;
}

async function consulApi<T>(url: string, token: string, method: string, apiPath: string, body?: unknown): Promise<T> {
  const { status, text } = await http(`${url}${apiPath}`, { method, body, headers: { "X-Consul-Token": token } });
  if (status !== 200) throw new Error(`${method} ${apiPath}: ${status} ${text}`);
  return JSON.parse(text) as T;
}

/** Creates an ACL policy with `rules` and a token with that policy, through the management token. */
export async function createAclToken(url: string, management: string, name: string, rules: string): Promise<string> {
  await consulApi(url, management, "PUT", "/v1/acl/policy", { Name: name, Rules: rules });
  const created = await consulApi<{ SecretID: string }>(url, management, "PUT", "/v1/acl/token", {
    Description: `${name} (test)`,
    Policies: [{ Name: name }],
  });
  return created.SecretID;
}

/**
 * What an operator does once and the boot step on every machine, on the Consul server started from the
 * image files: bootstrap ACLs (the management token exists only in this test), create each boot token from
 * its documented policy, hand the server its agent token with `consul acl set-agent-token agent`, and register
 * consul_http from the image's consul_service.boot.json (kept outside the config directory) with
 * `consul services register -token=<consul-http-service token>`, the commands the generated header names.
 * The server's default token is never set.
 */
async function bootConsulAcl(consul: Agent, bootService: { name: string; content: string }): Promise<BootedAcl> {
  // A new Consul 1.8 cluster answers "The ACL system is currently in legacy mode" for its first seconds.
  const management = await waitFor(
    "Consul's ACL bootstrap",
    async () => {
      const { status, text } = await http(`${consul.url}/v1/acl/bootstrap`, { method: "PUT" });
      if (text.includes("ACL support disabled")) {
        throw new Error("consul.acl.enabled, but the Consul server started from the image files enforces no ACLs");
      }
      return status === 200 ? (JSON.parse(text) as { SecretID: string }).SecretID : undefined;
    },
    { process: consul.process },
  );
  const tokens: Record<string, string> = {};
  for (const token of [CONSUL_AGENT_TOKEN, CONSUL_HTTP_SERVICE_TOKEN, NOMAD_CONSUL_TOKEN]) {
    tokens[token.name] = await createAclToken(consul.url, management, token.name, aclPolicyHcl(token));
  }
  const cli = async (args: string[]): Promise<void> => {
    // No CONSUL_HTTP_TOKEN: each command carries exactly the token the boot step gives it.
    const run = await runToolAsync("consul", args, { CONSUL_HTTP_ADDR: consul.url });
    if (run.code !== 0) throw new Error(`consul ${args.slice(0, 2).join(" ")} exited ${run.code}: ${run.output}`);
  };
  await cli(["acl", "set-agent-token", `-token=${management}`, "agent", tokens[CONSUL_AGENT_TOKEN.name]!]);
  // Beside the config files, not among them: the agent does not load it.
  const serviceFile = path.join(path.dirname(consul.dataDir), bootService.name);
  fs.writeFileSync(serviceFile, bootService.content);
  await cli(["services", "register", `-token=${tokens[CONSUL_HTTP_SERVICE_TOKEN.name]!}`, serviceFile]);
  return { management, tokens };
}

/** The file the boot step writes for Nomad (NOMAD_CONSUL_TOKEN_FILE), with the token the test created. */
function nomadTokenFile(token: string): { name: string; content: string } {
  return {
    name: path.basename(NOMAD_CONSUL_TOKEN_FILE),
    content: writeHcl([{ block: "consul", body: [["token", token]] }], agentHclString),
  };
}

/**
 * A Nomad agent from the image's server and client files together (one node is both), plus any file the boot
 * step writes beside them (Nomad's Consul token). The override:
 *   data_dir           a temporary directory instead of /opt/nomad
 *   bind_addr          127.0.0.1, and advertise 127.0.0.1 instead of {{ GetPrivateIP }}
 *   name               a fixed name instead of the hostname; disable_update_check = true
 *   ports              free ports for HTTP, RPC and serf
 *   server             bootstrap_expect = 1
 *   consul.address     the test's Consul instead of the local agent on 8500
 *   client.host_volume each volume the client file declares, at a temporary directory (its path does not
 *                      exist here, and Nomad refuses to start while it is missing)
 */
export async function startNomadAgent(
  files: { name: string; content: string }[],
  consulHttpAddr: string,
): Promise<Agent> {
  const [httpPort, rpc, serf] = await freePorts(3);
  const clientFile = files.find((f) => path.basename(f.name) === "nomad-client.hcl");
  const volumes = clientFile === undefined ? [] : await declaredHostVolumes(clientFile.content);
  const { dir, configs } = writeConfigDir("nomad-image", files, (dir) => [
    `data_dir             = "${path.join(dir, "data")}"`,
    `bind_addr            = "127.0.0.1"`,
    `name                 = "image-test"`,
    `disable_update_check = true`,
    `advertise {\n  http = "127.0.0.1"\n  rpc  = "127.0.0.1"\n  serf = "127.0.0.1"\n}`,
    `ports {\n  http = ${httpPort}\n  rpc  = ${rpc}\n  serf = ${serf}\n}`,
    `server {\n  bootstrap_expect = 1\n}`,
    `consul {\n  address = "${consulHttpAddr}"\n}`,
    hostVolumesAt(volumes, dir),
  ]);
  const proc = start("nomad", ["agent", ...configs.map((f) => `-config=${f}`)]);
  const url = `http://127.0.0.1:${httpPort}`;
  const started = agent(proc, url, dir);
  await waitFor(
    "Nomad's HTTP API",
    async () => ((await http(`${url}/v1/agent/self`)).status === 200 ? true : undefined),
    {
      process: proc,
    },
  );
  return started;
}

export interface ImageConsul {
  /** The Consul HTTP port the files were rendered with. */
  httpPort: number;
  files: { name: string; content: string }[];
  /** With `consul.acl.enabled`, its `getJson` carries the management token. */
  consul: Agent;
  /** The tokens handed out at "boot", with `consul.acl.enabled`. */
  acl?: BootedAcl;
}

export interface ImageAgents extends ImageConsul {
  nomad: Agent;
}

const pick = (files: { name: string; content: string }[], ...names: string[]) =>
  files.filter((f) => names.includes(f.name));

/**
 * Renders a stack's image files with one change: the Consul HTTP port is a free port instead of 8500 (it
 * appears in the server's ports, the consul_http service and its check); consul-agent-config.test.ts proves
 * this is the only difference from the committed files. Then starts a Consul server from them. With
 * `consul.acl.enabled` the server enforces ACLs as its file says (default deny), consul_http is not in its
 * config files, and the test plays the boot step the generated headers describe.
 */
export async function startImageConsul(cfg: StackConfig, stack: string): Promise<ImageConsul> {
  const httpPort = await freePort();
  const withPort: StackConfig = {
    ...cfg,
    images: { ...cfg.images, consulServer: { ...cfg.images.consulServer, httpPort } },
  };
  const files = renderImageFiles(modelOf(withPort, stack));
  const server = await startConsulServer(pick(files, "consul-server.hcl", "consul_service.json"), httpPort);
  const bootService = files.find((f) => f.name === CONSUL_BOOT_SERVICE_FILE_NAME);
  if (cfg.consul.acl.enabled !== (bootService !== undefined)) {
    throw new Error(`${CONSUL_BOOT_SERVICE_FILE_NAME} must be rendered exactly when consul.acl.enabled`);
  }
  const acl = bootService === undefined ? undefined : await bootConsulAcl(server, bootService);
  const consul = acl === undefined ? server : { ...server, getJson: agentWithToken(server, acl.management) };
  return { httpPort, files, consul, acl };
}

/**
 * The image Consul server (startImageConsul) plus a Nomad agent (server and client in one) from the same
 * render, registering its services in that Consul; with ACLs, with the token file the boot step writes.
 */
export async function startImageAgents(cfg: StackConfig, stack: string): Promise<ImageAgents> {
  const image = await startImageConsul(cfg, stack);
  const nomadFiles = pick(
    image.files,
    "nomad-server.hcl",
    `nomad-client/${cfg.nomad.datacenters[0]!}/nomad-client.hcl`,
  );
  const bootFiles = image.acl === undefined ? [] : [nomadTokenFile(image.acl.tokens[NOMAD_CONSUL_TOKEN.name]!)];
  const nomad = await startNomadAgent([...nomadFiles, ...bootFiles], `127.0.0.1:${image.httpPort}`);
  return { ...image, nomad };
}

function agentWithToken(consul: Agent, token: string): Agent["getJson"] {
  return <T>(apiPath: string): Promise<T> => consulApi<T>(consul.url, token, "GET", apiPath);
}
