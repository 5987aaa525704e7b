import { afterAll, describe, expect, it } from "vitest";
import { waitForConsulLeader } from "../support/consul";
import { freePorts, http, requireTools, start, stopAll, tempDir } from "../support/processes";
import { quickStartLines } from "../support/quick-start";
import { PROJECT_DIR } from "../support/stack";

const available = requireTools("consul");

describe.runIf(available)("the README's quick-start Consul, on the real binary", () => {
  afterAll(stopAll);

  it("registers consul_http for the dev cluster and serves Prometheus metrics", async () => {
    const line = quickStartLines().find((l) => l.startsWith("consul agent"))!;
    expect(line).toBeDefined();
    // Run as written: plain words only, so splitting on spaces is what a shell would do.
    expect(line).toMatch(/^[\w ./=:-]+&$/);
    const args = line.replace(/&$/, "").trim().split(/\s+/).slice(1);
    // Later flags win: only the ports (free ones, so a local Consul on 8500 is left alone) and the data
    // directory (a fresh one) change.
    const [httpPort, dns, serfLan, serfWan, server, grpc] = await freePorts(6);
    const proc = start(
      "consul",
      [
        ...args,
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
    const url = `http://127.0.0.1:${httpPort}`;
    await waitForConsulLeader(url, proc);

    const services = JSON.parse((await http(`${url}/v1/agent/services`)).text) as Record<
      string,
      { Service: string; Tags: string[]; Port: number }
    >;
    expect(services.consul_http).toMatchObject({ Service: "consul_http", Tags: ["cluster-dev", "http"], Port: 8500 });
    const metrics = await http(`${url}/v1/agent/metrics?format=prometheus`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^# TYPE consul_\w+ /m);
  });
});
