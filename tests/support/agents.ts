// Real Consul and Nomad agents started from generated image files, plus one small override file that turns a
// cluster member into a single local node. Everything the override does not set comes from the image files.
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../../config";
import { renderImageFiles } from "../../render";
import { waitForConsulLeader } from "./consul";
import { freePort, freePorts, http, start, tempDir, waitFor, type Started } from "./processes";

export interface Agent {
  readonly process: Started;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** GET a JSON API path, failing on any status but 200. */
  getJson<T>(apiPath: string): Promise<T>;
  stop(): Promise<void>;
}

function agent(proc: Started, url: string, dir: string): Agent {
  return {
    process: proc,
    url,
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
      const target = path.join(dir, file.name);
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
 *   bind_addr         127.0.0.1 instead of {{ GetPrivateIP }}, so the node stays on loopback
 *   client_addr       127.0.0.1 instead of 0.0.0.0
 *   bootstrap_expect  1: this single server elects itself (the files' retry_join targets are never reached)
 *   node_name         a fixed name instead of the hostname
 *   performance       raft_multiplier = 1 (Consul's dev timing): a lone server elects itself in ~1s, not ~9s
 *   ports             free ports for DNS, serf and server RPC
 */
export async function startConsulServer(files: { name: string; content: string }[], httpPort: number): Promise<Agent> {
  const [dns, serfLan, serfWan, server] = await freePorts(4);
  const { dir, configs } = writeConfigDir("consul-image", files, (dir) => [
    `data_dir         = "${path.join(dir, "data")}"`,
    `bind_addr        = "127.0.0.1"`,
    `client_addr      = "127.0.0.1"`,
    `bootstrap_expect = 1`,
    `node_name        = "image-test"`,
    `performance {
  raft_multiplier = 1
}`,
    `ports {\n  dns      = ${dns}\n  serf_lan = ${serfLan}\n  serf_wan = ${serfWan}\n  server   = ${server}\n}`,
  ]);
  const proc = start("consul", ["agent", ...configs.flatMap((f) => ["-config-file", f])]);
  const url = `http://127.0.0.1:${httpPort}`;
  await waitForConsulLeader(url, proc);
  return agent(proc, url, dir);
}

/**
 * A Nomad agent from the image's server and client files together (one node is both). The override:
 *   data_dir           a temporary directory instead of /opt/nomad
 *   bind_addr          127.0.0.1, and advertise 127.0.0.1 instead of {{ GetPrivateIP }}
 *   name               a fixed name instead of the hostname; disable_update_check = true
 *   ports              free ports for HTTP, RPC and serf
 *   server             bootstrap_expect = 1
 *   consul.address     the test's Consul instead of the local agent on 8500
 */
export async function startNomadAgent(
  files: { name: string; content: string }[],
  consulHttpAddr: string,
): Promise<Agent> {
  const [httpPort, rpc, serf] = await freePorts(3);
  const { dir, configs } = writeConfigDir("nomad-image", files, (dir) => [
    `data_dir             = "${path.join(dir, "data")}"`,
    `bind_addr            = "127.0.0.1"`,
    `name                 = "image-test"`,
    `disable_update_check = true`,
    `advertise {\n  http = "127.0.0.1"\n  rpc  = "127.0.0.1"\n  serf = "127.0.0.1"\n}`,
    `ports {\n  http = ${httpPort}\n  rpc  = ${rpc}\n  serf = ${serf}\n}`,
    `server {\n  bootstrap_expect = 1\n}`,
    `consul {\n  address = "${consulHttpAddr}"\n}`,
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

export interface ImageAgents {
  /** The Consul HTTP port the files were rendered with. */
  httpPort: number;
  files: { name: string; content: string }[];
  consul: Agent;
  nomad: Agent;
}

const pick = (files: { name: string; content: string }[], ...names: string[]) =>
  files.filter((f) => names.includes(f.name));

/**
 * Renders a stack's image files with one change: the Consul HTTP port is a free port instead of 8500 (it
 * appears in the server's ports, the consul_http service and its check); consul-agent-config.test.ts proves
 * this is the only difference from the committed files. Then starts a Consul server and a Nomad agent
 * (server and client in one) from them, Nomad registering its services in that Consul.
 */
export async function startImageAgents(cfg: StackConfig, stack: string): Promise<ImageAgents> {
  const httpPort = await freePort();
  const withPort: StackConfig = {
    ...cfg,
    images: { ...cfg.images, consulServer: { ...cfg.images.consulServer, httpPort } },
  };
  const files = renderImageFiles(withPort, stack);
  const consul = await startConsulServer(pick(files, "consul-server.hcl", "consul_service.json"), httpPort);
  const nomad = await startNomadAgent(pick(files, "nomad-server.hcl", "nomad-client.hcl"), `127.0.0.1:${httpPort}`);
  return { httpPort, files, consul, nomad };
}
