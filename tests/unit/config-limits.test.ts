// Config that validation used to accept and every host would then fail on: Fabio ports the agents hold, service
// names the scrape config already discovers, absurd sizes and intervals, lists with duplicates.
import { describe, expect, it } from "vitest";
import { ConfigError, type RawConfig } from "../../config";
import { minimalRaw, parseRaw } from "../support/stack";

const NS = "rocketmq-system-jobs";

function errorOf(raw: RawConfig): string {
  try {
    parseRaw(raw, "Pulumi.prod.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

const withKeys = (keys: Record<string, unknown>): RawConfig => ({
  ...minimalRaw(),
  ...Object.fromEntries(Object.entries(keys).map(([key, value]) => [`${NS}:${key}`, value])),
});

describe("Fabio ports on a host that runs the Consul and Nomad agents", () => {
  it("rejects a UI port on Consul's HTTP port, naming the key and the agent", () => {
    expect(errorOf(withKeys({ fabio: { nameServerIndex: { uiPort: 8500 } } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: port 8500 is Consul's HTTP API on the same host; choose a port no Consul or Nomad agent listens on",
    );
  });

  it("rejects a proxy port on Nomad's HTTP port", () => {
    expect(errorOf(withKeys({ fabio: { prometheus: { proxyPort: 4646 } } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.proxyPort: port 4646 is Nomad's HTTP API on the same host; choose a port no Consul or Nomad agent listens on",
    );
  });

  it.each([8300, 8301, 8302, 8500, 8600, 4646, 4647, 4648])("rejects a metrics port on agent port %i", (port) => {
    expect(errorOf(withKeys({ fabio: { prometheus: { metricsPort: port } } }))).toMatch(
      new RegExp(
        `^Pulumi\\.prod\\.yaml: rocketmq-system-jobs:fabio\\.prometheus\\.metricsPort: port ${port} is (Consul|Nomad)'s `,
      ),
    );
  });

  it("rejects a port the Consul servers' HTTP API moved to", () => {
    expect(
      errorOf(withKeys({ images: { consulServer: { httpPort: 9000 } }, fabio: { nameServerIndex: { uiPort: 9000 } } })),
    ).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: port 9000 is the Consul server's HTTP API (images.consulServer.httpPort) on the same host; choose a port no Consul or Nomad agent listens on",
    );
  });

  it("rejects the port of the local Consul agent the jobs talk to", () => {
    expect(
      errorOf(withKeys({ consul: { address: "127.0.0.1:8501" }, fabio: { prometheus: { proxyPort: 8501 } } })),
    ).toMatch(
      /fabio\.prometheus\.proxyPort: port 8501 is the Consul agent's HTTP API \(consul\.address\) on the same host/,
    );
  });

  it("accepts ports next to the agents'", () => {
    const cfg = parseRaw(withKeys({ fabio: { nameServerIndex: { uiPort: 8499 }, prometheus: { uiPort: 4649 } } }));
    expect([cfg.fabio.nameServerIndex.uiPort, cfg.fabio.prometheus.uiPort]).toEqual([8499, 4649]);
  });
});
