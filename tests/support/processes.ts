// Real binaries for integration tests: found on PATH (or <NAME>_BIN), started on loopback with free
// ports, polled for readiness with a bound, and always stopped by PID.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export type Tool =
  | "nomad"
  | "fabio"
  | "consul"
  | "prometheus"
  | "promtool"
  | "alertmanager"
  | "nomad-jobspec-check"
  | "blackbox_exporter"
  | "consul-template";

/** The binary's path, from `<TOOL>_BIN` or PATH; undefined when absent. */
export function findTool(tool: Tool): string | undefined {
  const fromEnv = process.env[`${tool.toUpperCase().replace(/-/g, "_")}_BIN`];
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, tool);
    if (dir !== "" && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Locally a missing binary skips the tier with one loud line; in CI (CI=true) it is a failure, so a
 * broken install can never turn into a green run that tested nothing.
 */
export function requireTools(...tools: Tool[]): boolean {
  const missing = tools.filter((tool) => findTool(tool) === undefined);
  if (missing.length === 0) return true;
  const message = `missing ${missing.join(", ")} on PATH: run \`export PATH="$(bash scripts/install-test-tools.sh):$PATH"\``;
  if (process.env.CI === "true") throw new Error(`${message} (CI=true: integration tests may not be skipped)`);
  console.warn(`\n!!! SKIPPING integration tests: ${message}\n`);
  return false;
}

/** Whether this machine can listen on IPv6 loopback: a container may run with IPv6 turned off. */
export function canListenOnIpv6Loopback(): Promise<boolean> {
  return canListen(0, "::1");
}

/** Ports this worker handed out: a worker runs several files, and an agent may not have bound its port yet. */
const handedOut = new Set<number>();

/**
 * Each worker hands out ports from a range of its own, below the kernel's ephemeral range (32768 and up, where
 * `listen(0)` and outgoing connections take theirs): a port is only free until its agent binds it, and a port the
 * OS picked could be picked again by another worker in between. VITEST_POOL_ID tells the workers apart (unset
 * outside vitest, e.g. the bench).
 */
const PORTS_PER_WORKER = 2000;
const FIRST_PORT = 20_000 + (Number(process.env.VITEST_POOL_ID ?? 0) % 6) * PORTS_PER_WORKER;
let nextPort = FIRST_PORT;

/** A port of this worker's range that is free on loopback now, never one this worker handed out before. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < PORTS_PER_WORKER; tried++) {
    const port = nextPort;
    nextPort = port + 1 < FIRST_PORT + PORTS_PER_WORKER ? port + 1 : FIRST_PORT;
    if (!handedOut.has(port) && (await canListen(port, "127.0.0.1"))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port left in ${FIRST_PORT}-${FIRST_PORT + PORTS_PER_WORKER - 1}`);
}

/** Whether a listener can bind `host`:`port` now (port 0: any port), closed again at once. */
function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

const tempDirs = new Set<string>();

/** A fresh directory under the OS temp dir, removed by `stopAll()` once the processes using it are gone. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rsj-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<Started>();

type StartOptions = {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The signal that asks the process to exit (consul-template forwards SIGTERM to its child and goes on). */
  stopSignal?: NodeJS.Signals;
};

/** Starts a binary; its output is kept for diagnostics. Call `stop()` (or `stopAll()`) in afterAll. */
export function start(tool: Tool, args: string[], options: StartOptions = {}): Started {
  const bin = findTool(tool);
  if (bin === undefined) throw new Error(`${tool} not found on PATH`);
  return startCommand(bin, args, options);
}

/** Starts any command (e.g. `sh -c` running a jobspec's entrypoint line), tracked and stopped like `start`'s. */
export function startCommand(command: string, args: string[], options: StartOptions = {}): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: "pipe" });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const started: Started = {
    name: `${command} ${args.join(" ")}`,
    child,
    output: () => log,
    stop: () => stopProcess(child, options.stopSignal ?? "SIGTERM").finally(() => running.delete(started)),
  };
  running.add(started);
  return started;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const asked = Date.now();
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  logTiming(Date.now() - asked, `stopping ${child.spawnfile} ${child.spawnargs.slice(1, 3).join(" ")}`);
}

/** Stops every process this file started, then removes the temp dirs it made (agents' data dirs among them). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// A test run killed mid-way must not leave agents behind on the machine.
process.once("exit", () => {
  for (const p of running) p.child.kill("SIGKILL");
});

/**
 * With RSJ_TIMING_LOG=<file>, every wait (a timed-out one too) and every stop appends a line there, `worker <n>:
 * <ms> ms <what>`: where an integration run's time goes (docs/test-speed.md).
 */
function logTiming(ms: number, what: string): void {
  const file = process.env.RSJ_TIMING_LOG;
  if (!file) return;
  fs.appendFileSync(file, `worker ${process.env.VITEST_POOL_ID ?? "-"}: ${ms} ms ${what.replace(/\s+/g, " ")}\n`);
}

/** Polls `<url>/-/ready` (Prometheus' and Alertmanager's readiness endpoint) until it answers 200, bounded. */
export async function waitForReady(what: string, url: string, proc: Started): Promise<void> {
  await waitFor(`${what} to be ready`, async () => ((await http(`${url}/-/ready`)).status === 200 ? true : undefined), {
    process: proc,
  });
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  {
    timeoutMs = 30_000,
    intervalMs = 200,
    process: proc,
  }: { timeoutMs?: number; intervalMs?: number; process?: Started } = {},
): Promise<T> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited (${proc.child.exitCode}) while waiting for ${what}:\n${proc.output()}`);
    }
    try {
      const value = await check();
      if (value !== undefined) {
        logTiming(Date.now() - started, `waiting for ${what}`);
        return value;
      }
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  logTiming(timeoutMs, `waiting for ${what} (timed out)`);
  const tail = proc ? `\n--- ${proc.name} output ---\n${startAndEnd(proc.output())}` : "";
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ""}${tail}`,
  );
}

/** How an agent started and what it said last: the first is often why, and a poll's retries fill the rest. */
function startAndEnd(output: string, each = 2500): string {
  return output.length <= 2 * each ? output : `${output.slice(0, each)}\n[…]\n${output.slice(-each)}`;
}

/** GET/PUT helper for agent HTTP APIs; returns status and body text. */
export async function http(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

/** Runs a CLI to completion (e.g. `nomad job validate`, `promtool check config`). */
export function runTool(tool: Tool, args: string[], env: NodeJS.ProcessEnv = {}): { code: number; output: string } {
  const bin = findTool(tool);
  if (bin === undefined) throw new Error(`${tool} not found on PATH`);
  const result = spawnSync(bin, args, { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  return { code: result.status ?? -1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/**
 * `runTool` without blocking the event loop: agents started with `start` keep having their output drained
 * while the command runs (a blocked pipe would stall an agent the command is talking to).
 */
export function runToolAsync(
  tool: Tool,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<{ code: number; output: string }> {
  const bin = findTool(tool);
  if (bin === undefined) return Promise.reject(new Error(`${tool} not found on PATH`));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
