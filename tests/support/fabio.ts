// A real Fabio started from a rendered fabio.properties, moved onto loopback ports of the test machine, and the
// rendered jobs the routing tests start it from.
import * as fs from "node:fs";
import * as nodeHttp from "node:http";
import * as path from "node:path";
import type { FabioRole, StackConfig } from "../../config";
import { renderJobs, type RenderedJob } from "../../render";
import type { ConsulAgent } from "./consul";
import { renderTemplateActions, type NomadVariables } from "./fabio-task";
import { jobspecServices, only, parseJobspec } from "./hcl";
import { freePorts, http, start, tempDir, waitFor, type Started } from "./processes";
import { modelOf } from "./stack";

/** One entry of Fabio's `/api/routes`. */
export interface FabioRoute {
  service: string;
  host: string;
  path: string;
  src: string;
  dst: string;
}

export interface Fabio {
  readonly process: Started;
  /** `http://127.0.0.1:<port>` of the first `proxy.addr` listener. */
  readonly proxyUrl: string;
  /** `http://127.0.0.1:<port>` of `ui.addr` (/health, /api/routes). */
  readonly uiUrl: string;
  /** The properties text this Fabio runs with, after the address replacement. */
  readonly properties: string;
  /** Each port the rendered properties listen on (proxy listeners, UI), mapped to the port it moved to here. */
  readonly movedPorts: ReadonlyMap<number, number>;
  routes(): Promise<FabioRoute[]>;
  stop(): Promise<void>;
}

export interface TestAddresses {
  /** One loopback port per `proxy.addr` listener, in order. */
  proxyPorts: number[];
  uiPort: number;
  /** host:port of the test Consul's HTTP API. */
  consulAddr: string;
}

/**
 * The only difference from the file Nomad would write: addresses that name the production host move to the
 * test machine. Each `proxy.addr` listener and `ui.addr` get a free `127.0.0.1:<port>` (listener options after
 * `;` are kept), and `registry.consul.addr` points at the test Consul. Every other line (tag prefix,
 * matcher, KV path, registration, metrics) is passed through byte for byte. A key that is missing fails
 * loudly: Fabio would otherwise fall back to its default `:9999` on every interface.
 */
export function forTestMachine(properties: string, addresses: TestAddresses): string {
  const seen = new Set<string>();
  const lines = properties.split("\n").map((line) => {
    const match = /^(\s*)([A-Za-z0-9._]+)(\s*=\s*)(.*)$/.exec(line);
    if (!match) return line;
    const [, indent = "", key = "", eq = "", value = ""] = match;
    const replace = (next: string): string => {
      if (seen.has(key)) throw new Error(`fabio.properties sets ${key} twice`);
      seen.add(key);
      return `${indent}${key}${eq}${next}`;
    };
    switch (key) {
      case "proxy.addr": {
        const listeners = value.split(",");
        if (listeners.length !== addresses.proxyPorts.length) {
          throw new Error(
            `proxy.addr has ${listeners.length} listener(s), ${addresses.proxyPorts.length} port(s) given`,
          );
        }
        return replace(
          listeners
            .map((listener, i) => {
              const options = listener.indexOf(";") === -1 ? "" : listener.slice(listener.indexOf(";"));
              return `127.0.0.1:${addresses.proxyPorts[i]}${options}`;
            })
            .join(","),
        );
      }
      case "ui.addr":
        return replace(`127.0.0.1:${addresses.uiPort}`);
      case "registry.consul.addr":
        return replace(addresses.consulAddr);
      default:
        return line;
    }
  });
  for (const key of ["proxy.addr", "ui.addr", "registry.consul.addr"]) {
    if (!seen.has(key)) throw new Error(`fabio.properties does not set ${key}; refusing to let Fabio pick its default`);
  }
  return lines.join("\n");
}

/** The port of an address in the properties (`:9998`, `0.0.0.0:9100;proto=prometheus`). */
function portOf(address: string): number | undefined {
  const match = /:(\d+)$/.exec(address.split(";")[0]!.trim());
  return match === null ? undefined : Number(match[1]);
}

/** Which port of the rendered properties moved to which test port (see `forTestMachine`). */
function movedPortsOf(
  properties: string,
  addresses: Pick<TestAddresses, "proxyPorts" | "uiPort">,
): Map<number, number> {
  const moved = new Map<number, number>();
  const value = (key: string) => new RegExp(`^\\s*${key.replace(".", "\\.")}\\s*=\\s*(.*)$`, "m").exec(properties)?.[1];
  (value("proxy.addr") ?? "").split(",").forEach((listener, i) => {
    const port = portOf(listener);
    if (port !== undefined && addresses.proxyPorts[i] !== undefined) moved.set(port, addresses.proxyPorts[i]);
  });
  const ui = portOf(value("ui.addr") ?? "");
  if (ui !== undefined) moved.set(ui, addresses.uiPort);
  return moved;
}

/** The number of listeners in the text's `proxy.addr`. */
function listenerCount(properties: string): number {
  const value = /^\s*proxy\.addr\s*=\s*(.*)$/m.exec(properties)?.[1];
  return value === undefined ? 0 : value.split(",").length;
}

/**
 * Starts `fabio -cfg <file>` with the template data rendered (`renderTemplateActions`) and moved onto
 * loopback (`forTestMachine`), and waits until /health says OK.
 */
export async function startFabio(
  templateData: string,
  consul: Pick<ConsulAgent, "httpAddr">,
  variables: NomadVariables = {},
  env: Record<string, string> = {},
  /** Listen on these instead of free ports: a test whose stack file already holds free ports passes its own. */
  ports?: Pick<TestAddresses, "proxyPorts" | "uiPort">,
): Promise<Fabio> {
  const properties = renderTemplateActions(templateData, variables);
  const [freeUi, ...freeProxies] = ports ? [] : await freePorts(1 + Math.max(1, listenerCount(properties)));
  const uiPort = ports?.uiPort ?? freeUi!;
  const proxyPorts = ports?.proxyPorts ?? freeProxies;
  const text = forTestMachine(properties, { proxyPorts, uiPort, consulAddr: consul.httpAddr });
  const dir = tempDir("fabio");
  const file = path.join(dir, "fabio.properties");
  fs.writeFileSync(file, text);
  // Only the task's own environment: a CONSUL_HTTP_TOKEN inherited from the developer's shell must not count.
  const proc = start("fabio", ["-cfg", file], { env: { CONSUL_HTTP_TOKEN: "", ...env } });
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  try {
    await waitFor(
      "Fabio's /health to answer OK",
      async () => {
        const { status, text: body } = await http(`${uiUrl}/health`);
        return status === 200 && body.trim() === "OK" ? true : undefined;
      },
      { process: proc, timeoutMs: 15_000 },
    );
  } finally {
    // Fabio reads -cfg once at startup; the file (which may hold a token) need not outlive that.
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    process: proc,
    proxyUrl: `http://127.0.0.1:${proxyPorts[0]}`,
    uiUrl,
    properties: text,
    movedPorts: movedPortsOf(properties, { proxyPorts, uiPort }),
    routes: async () => {
      const { status, text: body } = await http(`${uiUrl}/api/routes`);
      if (status !== 200) throw new Error(`GET ${uiUrl}/api/routes: ${status} ${body}`);
      return (JSON.parse(body) as FabioRoute[] | null) ?? [];
    },
    stop: () => proc.stop(),
  };
}

/**
 * GET through a Fabio's proxy listener. Unlike fetch, node:http lets the test set the Host header, which
 * Fabio matches host-specific routes (`<prefix>host/path` tags) against.
 */
export function proxyGet(fabio: Fabio, urlPath: string, host?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = nodeHttp.get(
      `${fabio.proxyUrl}${urlPath}`,
      { headers: host === undefined ? {} : { host }, timeout: 10_000 },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${urlPath} via ${fabio.proxyUrl} timed out`)));
    request.on("error", reject);
  });
}

/**
 * Polls until `urlPath` through `fabio` answers 200 (Fabio picks up Consul changes asynchronously, and a
 * service is routed only once its checks pass).
 */
export function firstRoutedResponse(
  fabio: Fabio,
  urlPath: string,
  timeoutMs = 15_000,
): Promise<{ status: number; text: string }> {
  return waitFor(
    `a route for ${urlPath} on ${fabio.proxyUrl}`,
    async () => {
      const response = await proxyGet(fabio, urlPath);
      return response.status === 200 ? response : undefined;
    },
    { timeoutMs, intervalMs: 100, process: fabio.process },
  );
}

/** A stack's rendered Fabio job for one role. */
export function fabioJob(cfg: StackConfig, stack: string, role: FabioRole): RenderedJob {
  const name = cfg.fabio[role].jobName;
  const job = renderJobs(modelOf(cfg, stack)).find(
    (candidate) => candidate.kind === "fabio" && candidate.name === name,
  );
  if (job === undefined) throw new Error(`renderJobs(modelOf()) has no Fabio job named ${name}`);
  return job;
}

/** The Prometheus job's Consul service as rendered: its name and the tag the Prometheus Fabio routes by. */
export async function renderedPrometheusService(
  cfg: StackConfig,
  stack: string,
): Promise<{ name: string; tag: string }> {
  const job = renderJobs(modelOf(cfg, stack)).find((candidate) => candidate.kind === "prometheus");
  if (job === undefined) {
    throw new Error(
      'renderJobs(modelOf()) returns no job of kind "prometheus" (render/prometheus-job.ts), so no service carries the Prometheus Fabio\'s tag',
    );
  }
  const service = only(jobspecServices(await parseJobspec(job.hcl)), `service in ${job.name}`);
  const tags = (service.tags as string[] | undefined) ?? [];
  const prefix = modelOf(cfg).fabios["prometheus"].tagPrefix;
  const routed = tags.filter((tag) => tag.startsWith(prefix));
  if (routed.length !== 1) {
    throw new Error(
      `the Prometheus service's tags ${JSON.stringify(tags)} should hold exactly one starting "${prefix}"`,
    );
  }
  return { name: String(service.name), tag: routed[0]! };
}
