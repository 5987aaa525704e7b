// A real `consul agent -dev` on loopback with free ports, for integration tests.
import * as fs from "node:fs";
import * as path from "node:path";
import { freePorts, http, start, tempDir, waitFor, type Started } from "./processes";

export interface ConsulAgent {
  readonly process: Started;
  readonly httpAddr: string; // 127.0.0.1:<port>
  readonly url: string; // http://127.0.0.1:<port>
  stop(): Promise<void>;
}

/**
 * Starts a dev agent bound to 127.0.0.1. `configFiles` are passed as `-config-file`, `extraHcl` is written
 * to one more file; ports come from the OS so parallel runs and a local Consul never collide.
 */
export async function startConsul(options: { configFiles?: string[]; extraHcl?: string } = {}): Promise<ConsulAgent> {
  const [httpPort, dnsPort, serfLan, serfWan, server, grpc] = await freePorts(6);
  const dir = tempDir("consul");
  const portsFile = path.join(dir, "ports.hcl");
  fs.writeFileSync(
    portsFile,
    `ports {\n  http = ${httpPort}\n  dns = ${dnsPort}\n  serf_lan = ${serfLan}\n  serf_wan = ${serfWan}\n  server = ${server}\n  grpc = ${grpc}\n}\n`,
  );
  const files = [...(options.configFiles ?? []), portsFile];
  if (options.extraHcl) {
    const extra = path.join(dir, "extra.hcl");
    fs.writeFileSync(extra, options.extraHcl);
    files.push(extra);
  }
  const proc = start("consul", [
    "agent",
    "-dev",
    "-bind",
    "127.0.0.1",
    "-client",
    "127.0.0.1",
    "-node",
    "test-node",
    ...files.flatMap((f) => ["-config-file", f]),
  ]);
  const url = `http://127.0.0.1:${httpPort}`;
  await waitForConsulLeader(url, proc);
  return { process: proc, httpAddr: `127.0.0.1:${httpPort}`, url, stop: () => proc.stop() };
}

/** Waits (bounded) until the agent at `url` knows a leader: before that, catalog writes fail. */
export async function waitForConsulLeader(url: string, proc: Started): Promise<void> {
  await waitFor(
    "Consul to elect itself leader",
    async () => {
      const { status, text } = await http(`${url}/v1/status/leader`);
      return status === 200 && text.length > 2 ? true : undefined;
    },
    { process: proc },
  );
}

/** Registers a service with the local agent (optionally with an HTTP check). */
export async function registerService(
  agent: Pick<ConsulAgent, "url">,
  service: {
    id: string;
    name: string;
    port: number;
    tags: string[];
    checkUrl?: string;
    address?: string;
    /** A second check: a TTL check with this ID, critical until `passTtlCheck` passes it. */
    ttlCheckId?: string;
  },
  token?: string,
): Promise<void> {
  const checks = [
    ...(service.checkUrl ? [{ HTTP: service.checkUrl, Interval: "1s", Timeout: "1s" }] : []),
    ...(service.ttlCheckId
      ? [{ CheckID: service.ttlCheckId, Name: service.ttlCheckId, TTL: "10m", Status: "critical" }]
      : []),
  ];
  const body = {
    ID: service.id,
    Name: service.name,
    Port: service.port,
    Address: service.address ?? "127.0.0.1",
    Tags: service.tags,
    ...(checks.length > 0 ? { Checks: checks } : {}),
  };
  const { status, text } = await http(`${agent.url}/v1/agent/service/register`, {
    method: "PUT",
    body,
    headers: token ? { "X-Consul-Token": token } : {},
  });
  if (status !== 200) throw new Error(`registering ${service.name} failed: ${status} ${text}`);
}

/** Marks a TTL check passing (see `registerService`'s `ttlCheckId`). */
export async function passTtlCheck(agent: Pick<ConsulAgent, "url">, checkId: string, token?: string): Promise<void> {
  const { status, text } = await http(`${agent.url}/v1/agent/check/pass/${encodeURIComponent(checkId)}`, {
    method: "PUT",
    headers: token ? { "X-Consul-Token": token } : {},
  });
  if (status !== 200) throw new Error(`passing check ${checkId} failed: ${status} ${text}`);
}

/** The status Consul reports for one check of a service ("passing", "critical", …), or undefined if unknown. */
export async function checkStatus(
  agent: Pick<ConsulAgent, "url">,
  checkId: string,
  token?: string,
): Promise<string | undefined> {
  const { status, text } = await http(`${agent.url}/v1/agent/checks`, {
    headers: token ? { "X-Consul-Token": token } : {},
  });
  if (status !== 200) throw new Error(`GET /v1/agent/checks: ${status} ${text}`);
  return (JSON.parse(text) as Record<string, { Status: string }>)[checkId]?.Status;
}
