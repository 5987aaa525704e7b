// verify's speed with one NameServer host frozen: 10 hosts (127.0.0.1-10 on loopback) × 20 subgroups, real
// Consul and real Fabios from the rendered properties. One index Fabio serves hosts 1-9, a second one host 10;
// SIGSTOP on the second leaves its listener accepting connections and never answering, as a hung host does.
// Goal (issue 23): the whole run, process start aside, within 5s; a frozen listener costs one request timeout.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStackFile, type StackConfig } from "../../config";
import { nameServerIndexTags, renderJobs } from "../../render";
import { verifyCli } from "../../scripts/verify-cli";
import type { VerifyReport } from "../../verify";
import { startBackend, type Backend } from "../support/backend";
import { startConsul, type ConsulAgent } from "../support/consul";
import { fabioPropertiesOf } from "../support/fabio-task";
import { stackFileOnFreePorts } from "../support/quick-start";
import { modelOf } from "../support/stack";
import { freePort, http, requireTools, start, stopAll, tempDir, waitFor, type Started } from "../support/processes";

const available = requireTools("consul", "fabio");
const HOSTS = 10;
const SUBGROUPS = 20;
const REQUEST_TIMEOUT_S = 3;
const address = (host: number) => `127.0.0.${host}`;
const subgroup = (i: number) => `nsaddr-speed-${i}`;

/**
 * A Fabio from the rendered properties, listening on the given loopback addresses: each proxy listener of the
 * rendered `proxy.addr` (lookups; metrics) on every address, its UI on a free port, Consul at the test agent.
 */
async function startFabioOn(properties: string, hosts: number[], consulAddr: string): Promise<Started> {
  const uiPort = await freePort();
  const text = properties
    .split("\n")
    .map((line) => {
      const [key, value = ""] = line.split(/\s*=\s*(.*)/);
      if (key === "proxy.addr") {
        const listeners = value.split(",").flatMap((listener) => {
          const [hostPort = "", ...options] = listener.split(";");
          const port = hostPort.slice(hostPort.lastIndexOf(":") + 1);
          return hosts.map((h) => [`${address(h)}:${port}`, ...options].join(";"));
        });
        return `proxy.addr = ${listeners.join(",")}`;
      }
      if (key === "ui.addr") return `ui.addr = 127.0.0.1:${uiPort}`;
      if (key === "registry.consul.addr") return `registry.consul.addr = ${consulAddr}`;
      return line;
    })
    .join("\n");
  const file = path.join(tempDir("fabio-speed"), "fabio.properties");
  fs.writeFileSync(file, text);
  const proc = start("fabio", ["-cfg", file]);
  await waitFor(
    "Fabio's /health",
    async () => (await http(`http://127.0.0.1:${uiPort}/health`)).status === 200 || undefined,
    {
      process: proc,
    },
  );
  return proc;
}

describe.runIf(available)("verify with one of 10 NameServer hosts frozen", () => {
  let cfg: StackConfig;
  let file: string;
  let consul: ConsulAgent;
  let frozen: Started;
  let backend: Backend;

  async function runVerify(): Promise<{ ms: number; report: VerifyReport }> {
    let stdout = "";
    const io = { log: (line: string) => (stdout += `${line}\n`), error: () => undefined };
    const started = performance.now();
    // verify's own default request timeout (REQUEST_TIMEOUT_S), as an operator runs it.
    await verifyCli(["--stack-file", file, "--json"], io, {
      CONSUL_HTTP_ADDR: consul.httpAddr,
    });
    return { ms: performance.now() - started, report: JSON.parse(stdout) as VerifyReport };
  }

  beforeAll(async () => {
    file = await stackFileOnFreePorts("dev", "speed");
    cfg = loadStackFile(file);
    consul = await startConsul();
    backend = await startBackend(
      Object.fromEntries(Array.from({ length: SUBGROUPS }, (_, i) => [`/rocketmq/${subgroup(i)}`, "10.0.0.1:9876"])),
    );
    const stack = modelOf(cfg).nameServerIndexStack;
    for (let i = 0; i < SUBGROUPS; i++) {
      const service = {
        ID: `rocketmq-${i}`,
        Name: `rocketmq-${i}`,
        Port: backend.port,
        Address: "127.0.0.1",
        Tags: nameServerIndexTags(stack, [subgroup(i)]),
        Check: { HTTP: `${backend.url}/health`, Interval: "1s", Timeout: "1s" },
      };
      await http(`${consul.url}/v1/agent/service/register`, { method: "PUT", body: service });
    }
    // Each host as Nomad registers it: both Fabio services on the host's node, at the host's address.
    for (let h = 1; h <= HOSTS; h++) {
      for (const instance of [cfg.fabio.nameServerIndex, cfg.fabio.prometheus]) {
        const body = {
          Node: `ns-${h}`,
          Address: address(h),
          Service: {
            ID: `${instance.jobName}-${h}`,
            Service: instance.jobName,
            Address: address(h),
            Port: instance.uiPort,
            Tags: ["fabio", `cluster-${cfg.clusterName}`],
          },
        };
        await http(`${consul.url}/v1/catalog/register`, { method: "PUT", body });
      }
    }
    const job = renderJobs(modelOf(cfg, "speed")).find((j) => j.name === cfg.fabio.nameServerIndex.jobName)!;
    const properties = await fabioPropertiesOf(job);
    await startFabioOn(properties, [1, 2, 3, 4, 5, 6, 7, 8, 9], consul.httpAddr);
    frozen = await startFabioOn(properties, [HOSTS], consul.httpAddr);
    await waitFor(
      "every host to route every subgroup",
      async () => {
        // Each service's check passes on its own schedule, so every subgroup's route is waited for.
        for (const h of [1, HOSTS]) {
          for (let i = 0; i < SUBGROUPS; i++) {
            const { status } = await http(
              `http://${address(h)}:${cfg.fabio.nameServerIndex.proxyPort}/rocketmq/${subgroup(i)}`,
            );
            if (status !== 200) return undefined;
          }
        }
        return true;
      },
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    frozen?.child.kill("SIGCONT");
    await backend?.close();
    await stopAll();
  });

  it(`checks ${HOSTS} hosts × ${SUBGROUPS} subgroups within one request timeout when one host's index Fabio is frozen`, async () => {
    const healthy = await runVerify();
    const routes = (report: VerifyReport) => report.checks.filter((c) => c.check.startsWith("route /rocketmq/"));
    expect(routes(healthy.report).filter((c) => c.result !== "pass")).toEqual([]);
    expect(routes(healthy.report)).toHaveLength(HOSTS * SUBGROUPS);

    frozen.child.kill("SIGSTOP");
    try {
      const { ms, report } = await runVerify();
      const onFrozen = routes(report).filter((c) => c.host === `ns-${HOSTS} (${address(HOSTS)})`);
      // One failure for the one cause; the host's other lookups are listed as not run.
      expect(onFrozen.filter((c) => c.result === "fail").map((c) => c.detail)).toEqual([
        `no answer within ${REQUEST_TIMEOUT_S}s`,
      ]);
      expect(onFrozen.filter((c) => c.result === "skip")).toHaveLength(SUBGROUPS - 1);
      expect(routes(report).filter((c) => c.result === "pass")).toHaveLength((HOSTS - 1) * SUBGROUPS);
      console.log(
        `verify, ${HOSTS} hosts × ${SUBGROUPS} subgroups: healthy ${Math.round(healthy.ms)} ms, one host frozen ${Math.round(ms)} ms`,
      );
      expect(ms).toBeLessThan(5_000);
    } finally {
      frozen.child.kill("SIGCONT");
    }
  });
});
