// Benchmark (printed, never asserted): rendering both stacks, and the time from registering a
// NameServer-index service in Consul to the first correct lookup through a real Fabio. Usage: npm run bench
// It drives real binaries through the integration tests' harness (tests/support), so it lives with the tests.
import { performance } from "node:perf_hooks";
import { nameServerIndexTag, renderJobs, renderArtifacts } from "../render";
import { startBackend, type Backend } from "./support/backend";
import { startConsul, type ConsulAgent } from "./support/consul";
import { proxyGet, startFabio } from "./support/fabio";
import { fabioPropertiesOf } from "./support/fabio-task";
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
        const tag = nameServerIndexTag(modelOf(cfg).fabios["nameServerIndex"].tagPrefix, subgroup);
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

async function main(): Promise<number> {
  const missing = (["consul", "fabio"] as Tool[]).filter((tool) => findTool(tool) === undefined);
  benchRender();
  if (missing.length > 0) {
    console.error(
      `\nbench: ${missing.join(", ")} not on PATH, routing benchmark not run: ` +
        'export PATH="$(bash scripts/install-test-tools.sh):$PATH"',
    );
    return 1;
  }
  await benchRouting();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
