import { afterAll, describe, expect, it } from "vitest";
import { freePorts, http, requireTools, stopAll } from "../support/processes";
import { quickStartLines, startQuickStartConsul } from "../support/quick-start";

const available = requireTools("consul");

describe.runIf(available)("the README's quick-start Consul, on the real binary", () => {
  afterAll(stopAll);

  it("registers consul_http for the dev cluster and serves Prometheus metrics", async () => {
    // The line must be plain words, run as a shell would split it (quickStartArgs refuses anything else).
    expect(quickStartLines().find((l) => l.startsWith("consul agent"))).toMatch(/^[\w ./=:-]+&$/);
    const [httpPort] = await freePorts(1);
    await startQuickStartConsul(httpPort!);
    const url = `http://127.0.0.1:${httpPort}`;

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
