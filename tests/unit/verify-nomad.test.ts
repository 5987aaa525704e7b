// Nomad's side of `verify`, against a fake HTTP server serving answers shaped like Nomad 1.1's: this proves only
// that the responses are parsed and judged as intended. No `nomad` binary is available to the unit or
// integration tiers here, so the real API is exercised only where a deploy runs `verify` with NOMAD_ADDR.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { discoverNomad, fabioAllocationsCheck, httpClient, type Api } from "../../verify";
import { loadStack, modelOf } from "../support/stack";

const cfg = loadStack("prod"); // nodeClass "nameServer", datacenters dc1 and dc2, region global

/** Trimmed from real Nomad 1.1 answers (extra fields kept where they show the shape). */
const NODES = [
  {
    Address: "10.10.1.1",
    ID: "5bd3e6c8-0000-4000-8000-000000000001",
    Datacenter: "dc1",
    Name: "ns-1",
    NodeClass: "nameServer",
    Version: "1.1.2",
    Drain: false,
    SchedulingEligibility: "eligible",
    Status: "ready",
    Drivers: { docker: { Detected: true, Healthy: true } },
  },
  {
    Address: "10.10.1.2",
    ID: "5bd3e6c8-0000-4000-8000-000000000002",
    Datacenter: "dc2",
    Name: "ns-2",
    NodeClass: "nameServer",
    Status: "ready",
  },
  {
    Address: "10.10.1.3",
    ID: "5bd3e6c8-0000-4000-8000-000000000003",
    Datacenter: "dc1",
    Name: "ns-3",
    NodeClass: "nameServer",
    Status: "down",
  },
  {
    Address: "10.10.2.1",
    ID: "5bd3e6c8-0000-4000-8000-000000000004",
    Datacenter: "dc1",
    Name: "app-1",
    NodeClass: "",
    Status: "ready",
  },
  {
    Address: "10.30.0.1",
    ID: "5bd3e6c8-0000-4000-8000-000000000005",
    Datacenter: "dc9",
    Name: "ns-x",
    NodeClass: "nameServer",
    Status: "ready",
  },
];

const alloc = (id: string, node: number, ClientStatus: string, DesiredStatus = "run") => ({
  ID: id,
  EvalID: "e",
  Name: "fabio-nameserver-index.fabio[0]",
  NodeID: `5bd3e6c8-0000-4000-8000-00000000000${node}`,
  NodeName: `ns-${node}`,
  JobID: "fabio-nameserver-index",
  TaskGroup: "fabio",
  DesiredStatus,
  ClientStatus,
  TaskStates: { fabio: { State: ClientStatus === "running" ? "running" : "dead", Failed: ClientStatus === "failed" } },
});

interface Fake {
  api: Api;
  requests: { url: string; token?: string }[];
  close(): Promise<void>;
}

async function fakeNomad(routes: Record<string, unknown>, status: Record<string, number> = {}): Promise<Fake> {
  const requests: Fake["requests"] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? "";
    requests.push({ url, token: req.headers["x-nomad-token"] as string | undefined });
    const route = url.split("?")[0]!;
    if (url.includes("hang")) return; // never answers
    const body = routes[route];
    res.writeHead(status[route] ?? (body === undefined ? 404 : 200), { "Content-Type": "application/json" });
    res.end(body === undefined ? "job not found" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: { url: `http://127.0.0.1:${port}`, headers: { "X-Nomad-Token": "s3cret-nomad" } },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const client = () => httpClient({ requestTimeoutMs: 2_000, deadline: Date.now() + 10_000 });
let fake: Fake | undefined;
afterEach(async () => fake?.close());

describe("verify against Nomad's API (fake server: response parsing only)", () => {
  it("selects the ready nodes of the stack's node class and datacenters, and names a node missing an allocation", async () => {
    fake = await fakeNomad({
      "/v1/nodes": NODES,
      "/v1/job/fabio-nameserver-index/allocations": [
        alloc("aaaaaaaa-1", 1, "running"),
        alloc("bbbbbbbb-2", 2, "failed"),
      ],
      "/v1/job/fabio-prometheus/allocations": [
        alloc("cccccccc-1", 1, "running"),
        alloc("dddddddd-2", 2, "running"),
        alloc("eeeeeeee-2", 2, "complete", "stop"),
      ],
      "/v1/status/peers": ["10.10.0.21:4647", "10.10.0.22:4647", "10.10.0.23:4647"],
    });
    const view = await discoverNomad(modelOf(cfg), client(), fake.api);
    expect(view.selected.map((n) => n.Name)).toEqual(["ns-1", "ns-2"]);
    expect(view.clients.map((n) => n.Name)).toEqual(["ns-1", "ns-2", "app-1"]);
    expect(view.servers).toEqual(["10.10.0.21", "10.10.0.22", "10.10.0.23"]);
    const checks = view.selected.map((node) =>
      fabioAllocationsCheck(modelOf(cfg), { name: node.Name, address: node.Address }, node.ID, view),
    );
    expect(checks).toEqual([
      {
        check: "fabio allocations",
        host: "ns-1 (10.10.1.1)",
        result: "pass",
        detail: "fabio-nameserver-index, fabio-prometheus running",
      },
      {
        check: "fabio allocations",
        host: "ns-2 (10.10.1.2)",
        result: "fail",
        detail: "fabio-nameserver-index: allocation bbbbbbbb is failed",
      },
    ]);
    expect(fake.requests.every((r) => r.url.includes("region=global") && r.token === "s3cret-nomad")).toBe(true);
  });

  it("reports a Fabio job Nomad does not know on every selected node", async () => {
    fake = await fakeNomad({
      "/v1/nodes": NODES.slice(0, 1),
      "/v1/job/fabio-prometheus/allocations": [alloc("cccccccc-1", 1, "running")],
      "/v1/status/peers": ["10.10.0.21:4647"],
    });
    const view = await discoverNomad(modelOf(cfg), client(), fake.api);
    const node = view.selected[0]!;
    expect(fabioAllocationsCheck(modelOf(cfg), { name: node.Name, address: node.Address }, node.ID, view).detail).toBe(
      "fabio-nameserver-index: job not found",
    );
  });

  it("selects by node meta through each node's own record when the stack selects by meta", async () => {
    const byMeta = { ...cfg, nameServerHosts: { by: "meta" as const, key: "role", value: "nameserver" } };
    fake = await fakeNomad({
      "/v1/nodes": NODES.slice(0, 2),
      [`/v1/node/${NODES[0]!.ID}`]: { ID: NODES[0]!.ID, Meta: { role: "nameserver" } },
      [`/v1/node/${NODES[1]!.ID}`]: { ID: NODES[1]!.ID, Meta: { role: "broker" } },
      "/v1/job/fabio-nameserver-index/allocations": [],
      "/v1/job/fabio-prometheus/allocations": [],
      "/v1/status/peers": [],
    });
    expect((await discoverNomad(modelOf(byMeta), client(), fake.api)).selected.map((n) => n.Name)).toEqual(["ns-1"]);
  });

  it("fails with the request named, and never the token, when Nomad answers 403", async () => {
    fake = await fakeNomad({ "/v1/nodes": "Permission denied" }, { "/v1/nodes": 403 });
    const error = await discoverNomad(modelOf(cfg), client(), fake.api).catch((err: Error) => err.message);
    expect(error).toBe(`GET ${fake.api.url}/v1/nodes?region=global: HTTP 403 "Permission denied"`);
  });

  it("gives up on a request after its timeout, and starts none after the total bound", async () => {
    fake = await fakeNomad({});
    const started = Date.now();
    const answer = await httpClient({ requestTimeoutMs: 100, deadline: Date.now() + 10_000 }).get(
      `${fake.api.url}/hang`,
    );
    expect(answer).toEqual({ ok: false, error: "no answer within 0.1s" });
    expect(Date.now() - started).toBeLessThan(2_000);
    const late = await httpClient({ requestTimeoutMs: 100, deadline: Date.now() - 1 }).get(`${fake.api.url}/v1/nodes`);
    expect(late).toEqual({ ok: false, error: "not run: the total time bound was reached" });
  });
});
