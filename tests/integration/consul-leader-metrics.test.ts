// What the default Consul (images.consul.version) reports about leadership, the input ConsulNoLeader is written for: a server from the
// image files, once as the leader of its own cluster and once waiting for peers that never come.
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_AGENT_VERSIONS } from "../../config";
import { renderImageFiles } from "../../render";
import { startConsulServer, type Agent } from "../support/agents";
import { freePort, http, requireTools, runTool, stopAll, waitFor } from "../support/processes";
import { loadStack, modelOf } from "../support/stack";

const available = requireTools("consul");

/** A Consul server of the dev stack (no ACLs) from its image files, on a free HTTP port. */
async function imageConsulServer(bootstrapExpect: number): Promise<Agent> {
  const cfg = loadStack("dev");
  const httpPort = await freePort();
  const files = renderImageFiles(
    modelOf({ ...cfg, images: { ...cfg.images, consulServer: { ...cfg.images.consulServer, httpPort } } }, "dev"),
  ).filter((f) => f.name === "consul-server.hcl");
  return startConsulServer(files, httpPort, { bootstrapExpect });
}

const metricsOf = async (consul: Agent): Promise<string> =>
  (await http(`${consul.url}/v1/agent/metrics?format=prometheus`)).text;
const sampled = (text: string, metric: string): boolean => new RegExp(`^${metric}(\\{|\\s)`, "m").test(text);

describe.runIf(available)(`Consul ${DEFAULT_AGENT_VERSIONS.consul}, the version the images run by default`, () => {
  afterAll(stopAll);

  it("is the Consul on PATH", () => {
    expect(runTool("consul", ["version"]).output).toMatch(new RegExp(`^Consul v${DEFAULT_AGENT_VERSIONS.consul}\\b`));
  });

  it("publishes consul_autopilot_healthy from its leader, and no consul_server_isLeader", async () => {
    const consul = await imageConsulServer(1);
    const text = await waitFor(
      "the leader's autopilot health",
      async () => {
        const metrics = await metricsOf(consul);
        return sampled(metrics, "consul_autopilot_healthy") ? metrics : undefined;
      },
      { process: consul.process, timeoutMs: 30_000 },
    );
    expect(text).toMatch(/^consul_autopilot_healthy 1$/m);
    expect(sampled(text, "consul_server_isLeader")).toBe(false);
    await consul.stop();
  });

  it("publishes neither while no server leads", async () => {
    const consul = await imageConsulServer(2);
    // Longer than a leader takes to publish its autopilot health (the test above), with no leader throughout.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect((await http(`${consul.url}/v1/status/leader`)).text).toBe('""');
    const text = await metricsOf(consul);
    expect(sampled(text, "consul_runtime_alloc_bytes")).toBe(true);
    expect(sampled(text, "consul_autopilot_healthy")).toBe(false);
    expect(sampled(text, "consul_server_isLeader")).toBe(false);
    await consul.stop();
  });
});
