// The README's quick start as the tests run it: its shell lines, and a stack file on free ports.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { FABIO_ROLES } from "../../config";
import { waitForConsulLeader } from "./consul";
import { freePorts, start, tempDir, type Started } from "./processes";
import { PROJECT_DIR, stackFile } from "./stack";
import { PROMETHEUS_TEST_TIMING } from "./test-timing";

/** The shell lines of the README's quick start, comments removed. */
export function quickStartLines(): string[] {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim());
}

/** The quick start's line running `command` (e.g. "nomad agent"), as arguments; plain words only. */
export function quickStartArgs(command: string): string[] {
  const line = quickStartLines().find((l) => l.startsWith(command));
  if (line === undefined) throw new Error(`the README's quick start has no "${command}" line`);
  if (!/^[\w ./=:-]+&?$/.test(line)) throw new Error(`not plain words, so not run as a shell would: ${line}`);
  return line.replace(/&$/, "").trim().split(/\s+/).slice(command.split(" ").length);
}

/**
 * A copy of a stack's file with every static port moved to a free one (the six Fabio ports, the Consul HTTP
 * API in `consul.address` and `images.consulServer.httpPort`) and the test scrape/evaluation intervals, so tests
 * read the same keys production does without touching the machine's own ports.
 */
export async function stackFileOnFreePorts(stack: string, name = stack): Promise<string> {
  const doc = parseDocument(fs.readFileSync(stackFile(stack), "utf8"));
  const ns = "rocketmq-system-jobs";
  const [consulHttp, ...fabioPorts] = await freePorts(7);
  for (const [i, role] of FABIO_ROLES.entries()) {
    for (const [j, key] of ["proxyPort", "uiPort", "metricsPort"].entries()) {
      doc.setIn(["config", `${ns}:fabio`, role, key], fabioPorts[i * 3 + j]);
    }
  }
  doc.setIn(["config", `${ns}:consul`, "address"], `127.0.0.1:${consulHttp}`);
  doc.setIn(["config", `${ns}:images`, "consulServer", "httpPort"], consulHttp);
  // The intervals the tests' Prometheus runs with (test-timing.ts), which verify reads from the stack.
  doc.setIn(["config", `${ns}:prometheus`, "scrapeInterval"], PROMETHEUS_TEST_TIMING.scrapeInterval);
  doc.setIn(["config", `${ns}:prometheus`, "evaluationInterval"], PROMETHEUS_TEST_TIMING.evaluationInterval);
  const file = path.join(tempDir(`${name}-stack`), `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, doc.toString());
  return file;
}

/**
 * Runs the quick start's `consul agent` line as written (its files through `fileOf`), and waits for its leader.
 * Later flags win: only the data directory (a fresh one) and the ports (free ones, so a local Consul on 8500 is
 * left alone) change; the HTTP port is `httpPort`.
 */
export async function startQuickStartConsul(
  httpPort: number,
  fileOf: (arg: string) => string = (arg) => arg,
): Promise<Started> {
  const [dns, serfLan, serfWan, server, grpc] = await freePorts(5);
  const proc = start(
    "consul",
    [
      "agent",
      ...quickStartArgs("consul agent").map(fileOf),
      `-data-dir=${tempDir("quick-start-consul")}`,
      `-http-port=${httpPort}`,
      `-dns-port=${dns}`,
      `-serf-lan-port=${serfLan}`,
      `-serf-wan-port=${serfWan}`,
      `-server-port=${server}`,
      `-grpc-port=${grpc}`,
    ],
    { cwd: PROJECT_DIR },
  );
  await waitForConsulLeader(`http://127.0.0.1:${httpPort}`, proc);
  return proc;
}
