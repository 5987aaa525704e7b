// scripts/install-test-tools.sh run the way scripts/test.sh and then scripts/test-nomad.sh run it, with the real
// binaries this tier uses already on PATH: the second run must find what the first one set up, never compile.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { findTool, requireTools, stopAll, tempDir } from "../support/processes";
import { PROJECT_DIR } from "../support/stack";

const run = promisify(execFile);
const available = requireTools("consul", "prometheus", "promtool", "fabio");
const SCRIPT = path.join(PROJECT_DIR, "scripts", "install-test-tools.sh");

async function install(cache: string, PATH: string): Promise<{ fragment: string; log: string }> {
  const { stdout, stderr } = await run("bash", [SCRIPT], {
    env: { HOME: process.env.HOME, XDG_CACHE_HOME: cache, PATH },
    timeout: 60_000,
  });
  return { fragment: stdout.trim(), log: stderr };
}

describe.runIf(available)("install-test-tools.sh with Prometheus of the pinned version already on PATH", () => {
  afterAll(stopAll);

  it("links it on the first run, and on the second, with its own PATH fragment first, keeps the link", async () => {
    const installed = path.dirname(findTool("prometheus")!);
    const onPath = tempDir("tools-on-path");
    const cache = tempDir("tools-cache");
    const cachedTools = path.join(cache, "rocketmq-system-jobs", "tools");
    fs.mkdirSync(cachedTools, { recursive: true });
    // Prometheus and promtool only on PATH; every other tool (and the consul the tier uses) already in place,
    // so the runs build nothing unless they wrongly discard Prometheus.
    for (const entry of fs.readdirSync(installed)) {
      const target = fs.realpathSync(path.join(installed, entry));
      const home = ["prometheus", "promtool"].includes(entry) ? onPath : cachedTools;
      fs.symlinkSync(target, path.join(home, entry));
    }
    fs.symlinkSync(fs.realpathSync(findTool("consul")!), path.join(onPath, "consul"));
    // A tripwire, not a stand-in for anything under test: any compile fails the run with this line.
    fs.writeFileSync(path.join(onPath, "go"), "#!/bin/sh\necho 'go was called: the install compiles' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const basePath = `${onPath}:/usr/bin:/bin`;

    const first = await install(cache, basePath);
    expect(first.fragment).toBe(cachedTools);
    const second = await install(cache, `${first.fragment}:${basePath}`);
    expect(second.fragment).toBe(cachedTools);

    for (const { log } of [first, second]) expect(log).not.toMatch(/building|go was called/);
    for (const tool of ["prometheus", "promtool"]) {
      expect(fs.realpathSync(path.join(cachedTools, tool)), tool).toBe(fs.realpathSync(path.join(installed, tool)));
      expect(second.log).toContain(`install-test-tools: ${tool}: ${fs.realpathSync(path.join(installed, tool))} (`);
    }
  });
});
