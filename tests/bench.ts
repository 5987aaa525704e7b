// Benchmark (printed, never asserted): rendering both stacks, the time from registering a NameServer-index
// service in Consul to the first correct lookup through a real Fabio, and to its first successful probe in
// Prometheus. Usage: npm run bench
// It drives real binaries through the integration tests' harness (tests/support), so it lives with the tests.
import { performance } from "node:perf_hooks";
import { loadStackFile } from "../config";
import { nameServerIndexTag, nameServerIndexTags, renderJobs, renderArtifacts } from "../render";
import { startBackend, type Backend } from "./support/backend";
import { startConsul, type ConsulAgent } from "./support/consul";
import { proxyGet, startFabio } from "./support/fabio";
import { fabioPropertiesOf } from "./support/fabio-task";
import { startBlackbox, startLookupTargets } from "./support/lookup-probes";
import { registerLikeNomad } from "./support/loopback-stack";
import { stackFileOnFreePorts } from "./support/quick-start";
import { query, startPrometheus, writePrometheusFiles } from "./support/prometheus";
import { findTool, http, stopAll, waitFor, type Tool } from "./support/processes";
import { loadStack, STACKS, modelOf } from "./support/stack";

const RENDER_RUNS = 50;
const ROUTING_RUNS = 5;
const NAME_SERVERS = "10.0.0.1:9876;10.0.0.2:9876";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

function summary(label: string, samples: number[]): string {
  const rest = `(min ${ms(Math.min(...samples))}, max ${ms(Math.max(...samples))}, n=${samples.length})`;
  return `  ${label.padEnd(44)} median ${ms(median(samples)).padStart(9)}  ${rest}`;
}

function benchRender(): void {
  const load: number[] = [];
  const render: number[] = [];
  for (let i = 0; i < RENDER_RUNS; i++) {
    const configs = STACKS.map((stack) => ({ stack, cfg: loadStack(stack) }));
    load.push(timed(() => STACKS.forEach((stack) => loadStack(stack))));
    render.push(timed(() => configs.forEach(({ stack, cfg }) => renderArtifacts(modelOf(cfg, stack)))));
  }
  console.log(`render (${STACKS.join(" + ")}, in-process)`);
  console.log(summary("load + validate both stack files", load));
  console.log(summary("render every artifact of both stacks", render));
}

/**
 * Fabio 1.6.3 only routes services with at least one passing check (a check-less service never appears in
 * Consul's health state it watches), so every run registers an HTTP check. `initialStatus` "passing" measures
 * Consul → Fabio propagation alone; "critical" (Consul's default initial status) adds the first check run.
 */
async function register(
  consul: ConsulAgent,
  backend: Backend,
  tag: string,
  subgroup: string,
  initialStatus: string,
): Promise<void> {
  const check = { HTTP: `${backend.url}/health`, Interval: "1s", Timeout: "1s", Status: initialStatus };
  const body = { ID: `bench-${subgroup}`, Name: "rocketmq-nameserver-index", Address: "127.0.0.1" };
  const { status, text } = await http(`${consul.url}/v1/agent/service/register`, {
    method: "PUT",
    body: { ...body, Port: backend.port, Tags: [tag], Check: check },
  });
  if (status !== 200) throw new Error(`registering ${subgroup} failed: ${status} ${text}`);
}

async function benchRouting(): Promise<void> {
  const cfg = loadStack("dev");
  const indexJob = renderJobs(modelOf(cfg, "dev")).find((job) => job.name === cfg.fabio.nameServerIndex.jobName);
  if (indexJob === undefined) throw new Error("the dev stack renders no NameServer-index Fabio job");
  const modes = [
    { label: "check passing at registration", initialStatus: "passing" },
    { label: "check critical until its first run (1s)", initialStatus: "critical" },
  ];
  const subgroups = modes.flatMap((_, m) => Array.from({ length: ROUTING_RUNS }, (_unused, i) => `bench-${m}-${i}`));
  let backend: Backend | undefined;
  try {
    backend = await startBackend(Object.fromEntries(subgroups.map((s) => [`/rocketmq/${s}`, NAME_SERVERS])));
    const consul = await startConsul();
    const fabio = await startFabio(await fabioPropertiesOf(indexJob), consul);
    console.log(`\nConsul registration → first correct GET /rocketmq/<subgroup> through Fabio (dev stack)`);
    for (const [m, mode] of modes.entries()) {
      const samples: number[] = [];
      for (let i = 0; i < ROUTING_RUNS; i++) {
        const subgroup = `bench-${m}-${i}`;
        const start = performance.now();
        const tag = nameServerIndexTag(modelOf(cfg).nameServerIndexStack, subgroup);
        await register(consul, backend, tag, subgroup, mode.initialStatus);
        await waitFor(
          `the route for ${subgroup}`,
          async () => ((await proxyGet(fabio, `/rocketmq/${subgroup}`)).text === NAME_SERVERS ? true : undefined),
          { timeoutMs: 15_000, intervalMs: 5, process: fabio.process },
        );
        samples.push(performance.now() - start);
      }
      console.log(summary(mode.label, samples));
    }
    console.log(
      "  (a critical check passes at its first run, which Consul staggers randomly within the interval;\n" +
        "   checks Nomad registers start critical unless they set initial_status, so there the interval dominates)",
    );
  } finally {
    await stopAll();
    await backend?.close();
  }
}

const PROBE_RUNS = 3;

/**
 * Consul registration of a NameServer-index service (tags from the contract, check passing at registration) →
 * the first successful probe of its lookup in Prometheus: consul-template rewriting the file_sd list, Prometheus
 * picking it up, the index Fabio routing it, and the next scrape through blackbox_exporter. The stack file
 * scrapes every 1s (support/loopback-stack.ts); the goal is two scrape intervals.
 */
async function benchProbes(): Promise<void> {
  const file = await stackFileOnFreePorts("dev", "probes");
  const cfg = loadStackFile(file);
  const subgroups = Array.from({ length: PROBE_RUNS }, (_, i) => `bench-probe-${i}`);
  let backend: Backend | undefined;
  try {
    backend = await startBackend(Object.fromEntries(subgroups.map((s) => [`/rocketmq/${s}`, NAME_SERVERS])));
    const consul = await startConsul();
    const consulAddr = consul.httpAddr;
    const index = cfg.fabio.nameServerIndex;
    const job = renderJobs(modelOf(cfg, "bench")).find((j) => j.name === index.jobName)!;
    await startFabio(
      await fabioPropertiesOf(job),
      consul,
      {},
      {},
      {
        proxyPorts: [index.proxyPort, index.metricsPort],
        uiPort: index.uiPort,
      },
    );
    await registerLikeNomad(
      consul,
      job,
      (label) => ({ proxy: index.proxyPort, ui: index.uiPort, metrics: index.metricsPort })[label]!,
    );
    const prober = await startBlackbox();
    const files = writePrometheusFiles(cfg, consulAddr, { blackboxAddr: prober.blackboxAddr });
    await startLookupTargets(cfg, consulAddr, files.lookupTargetsFile);
    const prometheus = await startPrometheus(files);
    console.log(
      `\nConsul registration → first successful lookup probe in Prometheus (scrape interval ${cfg.prometheus.scrapeInterval})`,
    );
    const samples: number[] = [];
    for (const subgroup of subgroups) {
      const start = performance.now();
      const check = { HTTP: `${backend.url}/health`, Interval: "1s", Timeout: "1s", Status: "passing" };
      const body = { ID: subgroup, Name: subgroup, Address: "127.0.0.1", Port: backend.port, Check: check };
      await http(`${consul.url}/v1/agent/service/register`, {
        method: "PUT",
        body: { ...body, Tags: nameServerIndexTags(modelOf(cfg).nameServerIndexStack, [subgroup]) },
      });
      await waitFor(
        `the first successful probe of ${subgroup}`,
        async () =>
          (await query(prometheus, `probe_success{subgroup="${subgroup}"} == 1`)).length > 0 ? true : undefined,
        { timeoutMs: 30_000, intervalMs: 20, process: prometheus.process },
      );
      samples.push(performance.now() - start);
    }
    console.log(summary("service registered → first successful probe", samples));
  } finally {
    await stopAll();
    await backend?.close();
  }
}

async function main(): Promise<number> {
  const missing = (["consul", "fabio", "prometheus", "blackbox_exporter", "consul-template"] as Tool[]).filter(
    (tool) => findTool(tool) === undefined,
  );
  benchRender();
  if (missing.length > 0) {
    console.error(
      `\nbench: ${missing.join(", ")} not on PATH, routing and probe benchmarks not run: ` +
        'export PATH="$(bash scripts/install-test-tools.sh):$PATH"',
    );
    return 1;
  }
  await benchRouting();
  await benchProbes();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
