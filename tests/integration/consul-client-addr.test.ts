// Where Prometheus finds a Consul server's API: where consul_http names no address, Consul hands out the
// server's node address. A real Consul 1.8.7 shows what `images.consulServer.clientAddr` does to that.
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, CONSUL_HTTP_SERVICE, type StackConfig } from "../../config";
import { renderImageFiles } from "../../render";
import { startConsulServer } from "../support/agents";
import { freePort, http, requireTools, stopAll, waitFor } from "../support/processes";
import { loadStack, minimalRaw, parseRaw, modelOf } from "../support/stack";

const haveTools = requireTools("consul");

// Stands in for the server's private IP: the node address other hosts, Prometheus among them, reach it at.
const NODE_ADDRESS = "127.0.0.2";

interface CatalogEntry {
  Address: string;
  ServiceAddress: string;
  ServicePort: number;
}

/**
 * Starts a Consul server from the stack's image files with `clientAddr` as rendered (forced past validation)
 * (changed only by `onTestMachine`) on node address NODE_ADDRESS, and asks its catalog where consul_http is: the address Prometheus' consul_sd
 * scrapes. Then GETs the metrics path there, as Prometheus would.
 */
async function scrapeTargetOf(
  clientAddr: string,
  onTestMachine: (text: string) => string = (text) => text,
): Promise<{ target: string; answers: boolean }> {
  const cfg = loadStack("dev");
  const httpPort = await freePort();
  const forced: StackConfig = {
    ...cfg,
    images: { ...cfg.images, consulServer: { ...cfg.images.consulServer, clientAddr, httpPort } },
  };
  const files = renderImageFiles(modelOf(forced, "dev"))
    .filter((f) => ["consul-server.hcl", "consul_service.json"].includes(f.name))
    .map((f) => ({ ...f, content: onTestMachine(f.content) }));
  const server = await startConsulServer(files, httpPort, { bindAddr: NODE_ADDRESS, keepClientAddr: true });
  try {
    const [entry] = await waitFor(
      "consul_http in the catalog",
      async () => {
        const listed = await server.getJson<CatalogEntry[]>(`/v1/catalog/service/${CONSUL_HTTP_SERVICE}`);
        return listed.length > 0 ? listed : undefined;
      },
      { timeoutMs: 20_000, process: server.process },
    );
    const target = `${entry!.ServiceAddress || entry!.Address}:${entry!.ServicePort}`;
    const answers = await http(`http://${target}/v1/agent/metrics?format=prometheus`).then(
      (response) => response.status === 200,
      () => false,
    );
    return { target, answers };
  } finally {
    await server.stop();
  }
}

describe.skipIf(!haveTools)("images.consulServer.clientAddr on a real Consul 1.8.7", () => {
  afterAll(stopAll);

  it("on loopback alone, leaves consul_http registered at the node address, where nothing answers", async () => {
    const { target, answers } = await scrapeTargetOf("127.0.0.1");
    expect(target.startsWith(`${NODE_ADDRESS}:`)).toBe(true);
    expect(answers).toBe(false);
  });

  it("listing the node address as well, answers Prometheus at consul_http's address", async () => {
    const { target, answers } = await scrapeTargetOf(`127.0.0.1 ${NODE_ADDRESS}`);
    expect(target.startsWith(`${NODE_ADDRESS}:`)).toBe(true);
    expect(answers).toBe(true);
  });

  it("listing a specific address other hosts reach, registers consul_http at it, where the API answers", async () => {
    // 10.0.0.5 is the server's address in the rendered files; on this loopback-only machine it moves to 127.0.0.3
    // in both files that name it (client_addr, and consul_http's address), and nowhere else.
    const moved: string[] = [];
    const { target, answers } = await scrapeTargetOf("127.0.0.1 10.0.0.5", (text) => {
      if (text.includes("10.0.0.5")) moved.push(text.includes('"service"') ? "consul_service.json" : "client_addr");
      return text.replaceAll("10.0.0.5", "127.0.0.3");
    });
    expect(moved.sort()).toEqual(["client_addr", "consul_service.json"]);
    expect(target.startsWith("127.0.0.3:")).toBe(true);
    expect(answers).toBe(true);
  });

  it("is therefore refused on loopback alone, with the reason", () => {
    const raw = { ...minimalRaw(), "rocketmq-system-jobs:images": { consulServer: { clientAddr: "127.0.0.1" } } };
    expect(() => parseRaw(raw)).toThrow(ConfigError);
    expect(() => parseRaw(raw)).toThrow(/clientAddr: must include an address other hosts reach/);
  });
});
