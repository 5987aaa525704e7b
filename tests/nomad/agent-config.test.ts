// The Nomad agent of the machine images, started from the generated files: telemetry, node class, the
// services it registers in Consul for Prometheus, and hostile values read back by Nomad's HCL v1 parser.
// Part of the Nomad tier (npm run test:nomad): it runs wherever a `nomad` binary is on PATH or NOMAD_BIN.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentHclString, renderImageFiles, writeHcl } from "../../render";
import { startImageAgents, startNomadAgent, type Agent, type ImageAgents } from "../support/agents";
import { HOSTILE } from "../support/hostile";
import { http, requireTools, stopAll, waitFor } from "../support/processes";
import { loadStack, STACKS, modelOf } from "../support/stack";

const available = requireTools("consul", "nomad");
const pick = (files: { name: string; content: string }[], ...names: string[]) =>
  files.filter((f) => names.includes(f.name));

interface NomadSelf {
  config: {
    Telemetry: Record<string, unknown>;
    Client: { Enabled: boolean; NodeClass: string; Meta: Record<string, string> };
    Server: { Enabled: boolean };
    Region: string;
    Datacenter: string;
  };
}

describe.runIf(available)("Nomad agents started from the image files", () => {
  const stacks = new Map<string, ImageAgents>();

  beforeAll(async () => {
    await Promise.all(STACKS.map(async (stack) => stacks.set(stack, await startImageAgents(loadStack(stack), stack))));
  });

  afterAll(async () => {
    await Promise.all([...stacks.values()].flatMap((s) => [s.consul.stop(), s.nomad.stop()]));
    await stopAll();
  });

  describe.each(STACKS)("of the %s stack", (stack) => {
    const cfg = loadStack(stack);
    const get = (): ImageAgents => stacks.get(stack)!;

    it("give the Nomad agent the full telemetry block, the node class, the region and the datacenter", async () => {
      const { nomad } = get();
      const { config } = await nomad.getJson<NomadSelf>("/v1/agent/self");
      expect(config.Telemetry).toMatchObject({
        CollectionInterval: "1s",
        DisableHostname: true,
        PrometheusMetrics: true,
        PublishAllocationMetrics: true,
        PublishNodeMetrics: true,
      });
      expect(config.Client).toMatchObject({ Enabled: true, NodeClass: "nameServer" });
      expect(config.Server.Enabled).toBe(true);
      expect(config).toMatchObject({ Region: cfg.nomad.region, Datacenter: "dc1" });
    });

    it("serve Nomad's runtime and node metrics as Prometheus text at /v1/metrics?format=prometheus", async () => {
      const { nomad } = get();
      // Gauges appear after the first collection_interval; node metrics need publish_node_metrics.
      const text = await waitFor(
        "Nomad's runtime and node gauges",
        async () => {
          const { status, text } = await http(`${nomad.url}/v1/metrics?format=prometheus`);
          const wanted = [/^# TYPE nomad_runtime_alloc_bytes gauge$/m, /^# TYPE nomad_client_allocated_memory gauge$/m];
          return status === 200 && wanted.every((re) => re.test(text)) ? text : undefined;
        },
        { timeoutMs: 10_000, process: nomad.process },
      );
      expect(text).toMatch(/^nomad_client_allocated_memory\{.*node_class="nameServer"/m);
    });

    it("let Nomad register its server and client services in Consul, where Prometheus finds them", async () => {
      const { consul, nomad } = get();
      const names = await waitFor(
        "Nomad's services in Consul",
        async () => {
          const services = await consul.getJson<Record<string, string[]>>("/v1/catalog/services");
          // The stack files name their cluster after the stack; Nomad registers under the stack's names.
          return `${stack}-nomad` in services && `${stack}-nomad-client` in services
            ? Object.keys(services)
            : undefined;
        },
        { timeoutMs: 20_000, process: nomad.process },
      );
      expect(names).toEqual(expect.arrayContaining(["consul_http", `${stack}-nomad`, `${stack}-nomad-client`]));
    });
  });
});

describe.runIf(available)("hostile values read back by Nomad's HCL v1 parser", () => {
  let nomad: Agent | undefined;

  afterAll(async () => {
    await nomad?.stop();
    await stopAll();
  });

  it("come back from Nomad exactly as written", async () => {
    const value = HOSTILE.join(" | ");
    const hostile = {
      name: "zz-hostile.hcl",
      content: writeHcl(
        [
          {
            block: "client",
            body: [
              ["node_class", value],
              ["meta", { map: { [value]: value } }],
            ],
          },
        ],
        agentHclString,
      ),
    };
    const files = renderImageFiles(modelOf(loadStack("dev"), "dev"));
    nomad = await startNomadAgent(
      [...pick(files, "nomad-server.hcl", "nomad-client/dc1/nomad-client.hcl"), hostile],
      "127.0.0.1:1",
    );
    const { config } = await nomad.getJson<NomadSelf>("/v1/agent/self");
    expect(config.Client.NodeClass).toBe(value);
    expect(config.Client.Meta[value]).toBe(value);
  });
});
