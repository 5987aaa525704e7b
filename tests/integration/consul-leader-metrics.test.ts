// What the default Consul (images.consul.version) reports about leadership, the input ConsulNoLeader is written for: a server from the
// image files, once as the leader of its own cluster and once waiting for peers that never come.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  // Started together: the leaderless server runs at least as long as the leader takes to publish its
  // autopilot health, and is watched throughout that time.
  let leader: Agent;
  let leaderless: Agent;
  /** What the leader published once it reported its autopilot health, and every scrape of the leaderless one till then. */
  let published: { leader: string; leaderless: string[] };

  beforeAll(async () => {
    [leader, leaderless] = await Promise.all([imageConsulServer(1), imageConsulServer(2)]);
    const scrapes: string[] = [];
    const text = await waitFor(
      "the leader's autopilot health",
      async () => {
        scrapes.push(await metricsOf(leaderless));
        const metrics = await metricsOf(leader);
        return sampled(metrics, "consul_autopilot_healthy") ? metrics : undefined;
      },
      { process: leader.process, timeoutMs: 30_000 },
    );
    scrapes.push(await metricsOf(leaderless));
    published = { leader: text, leaderless: scrapes };
  });

  afterAll(stopAll);

  it("is the Consul on PATH", () => {
    expect(runTool("consul", ["version"]).output).toMatch(new RegExp(`^Consul v${DEFAULT_AGENT_VERSIONS.consul}\\b`));
  });

  it("publishes consul_autopilot_healthy from its leader, and no consul_server_isLeader", () => {
    expect(published.leader).toMatch(/^consul_autopilot_healthy 1$/m);
    expect(sampled(published.leader, "consul_server_isLeader")).toBe(false);
  });

  it("publishes neither while no server leads", async () => {
    expect((await http(`${leaderless.url}/v1/status/leader`)).text).toBe('""');
    expect(published.leaderless.length).toBeGreaterThan(0);
    for (const text of published.leaderless) {
      expect(sampled(text, "consul_runtime_alloc_bytes")).toBe(true);
      expect(sampled(text, "consul_autopilot_healthy")).toBe(false);
      expect(sampled(text, "consul_server_isLeader")).toBe(false);
    }
  });
});
