import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agentHclString,
  consulClientHcl,
  CONSUL_AGENT_TOKEN,
  CONSUL_HTTP_SERVICE_TOKEN,
  consulServiceFileName,
  prometheusPolicyRules,
  writeHcl,
} from "../../render";
import { CONSUL_HTTP_SERVICE } from "../../config";
import { createAclToken, startConsulClient, startImageConsul, type Agent, type ImageConsul } from "../support/agents";
import { startConsul, type ConsulAgent } from "../support/consul";
import { HOSTILE_SINGLE_LINE } from "../support/hostile";
import { freePort, http, requireTools, runTool, stopAll, tempDir, waitFor } from "../support/processes";
import { loadStack, PROJECT_DIR, STACKS, modelOf } from "../support/stack";

const available = requireTools("consul");
const generated = (stack: string, name: string): string => path.join(PROJECT_DIR, "packer", "generated", stack, name);

interface CatalogService {
  ServiceName: string;
  ServicePort: number;
  ServiceTags: string[];
}

interface HealthCheck {
  CheckID: string;
  ServiceName: string;
  Status: string;
}

describe.runIf(available)("the committed Consul configs, as `consul validate` sees them", () => {
  // With ACLs on, the service file is registered at boot rather than loaded, but it has the same format.
  it.each(STACKS)("the %s Consul server config and consul_http service file are valid together", (stack) => {
    const { code, output } = runTool("consul", [
      "validate",
      generated(stack, "consul-server.hcl"),
      generated(stack, consulServiceFileName(loadStack(stack))),
    ]);
    expect(output).toContain("Configuration is valid!");
    expect(code).toBe(0);
  });

  it.each(STACKS)("the %s Consul client config for Nomad hosts is valid", (stack) => {
    const { code, output } = runTool("consul", ["validate", generated(stack, "consul-client.hcl")]);
    expect(output).toContain("Configuration is valid!");
    expect(code).toBe(0);
  });
});

describe.runIf(available)("agents started from the image files", () => {
  const stacks = new Map<string, ImageConsul>();

  // Both stacks at once: the consul_http checks' first runs (staggered by up to 10s) then overlap.
  beforeAll(async () => {
    await Promise.all(STACKS.map(async (stack) => stacks.set(stack, await startImageConsul(loadStack(stack), stack))));
  });

  afterAll(async () => {
    await Promise.all([...stacks.values()].map((s) => s.consul.stop()));
    await stopAll();
  });

  describe.each(STACKS)("of the %s stack", (stack) => {
    const cfg = loadStack(stack);
    const get = (): ImageConsul => stacks.get(stack)!;

    it("start from the committed files, changed only in the Consul HTTP port", () => {
      const { files, httpPort } = get();
      for (const file of files) {
        const committed = fs.readFileSync(generated(stack, file.name), "utf8");
        expect(file.content.replaceAll(String(httpPort), "8500"), file.name).toBe(committed);
      }
    });

    it("list consul_http in the catalog with the cluster and http tags", async () => {
      const { consul, httpPort } = get();
      // The agent syncs a registration to the catalog shortly after it is made (at boot, with ACLs on).
      const services = await waitFor(
        "consul_http in the catalog",
        async () => {
          const listed = await consul.getJson<CatalogService[]>("/v1/catalog/service/consul_http");
          return listed.length > 0 ? listed : undefined;
        },
        { timeoutMs: 20_000, process: consul.process },
      );
      expect(services.map((s) => ({ name: s.ServiceName, port: s.ServicePort, tags: s.ServiceTags }))).toEqual([
        { name: "consul_http", port: httpPort, tags: [`cluster-${stack}`, "http"] },
      ]);
    });

    it("report consul_http healthy once its check has called the agent's API", async () => {
      const { consul } = get();
      // Consul staggers a check's first run by up to its interval (10s).
      const check = await waitFor(
        "the consul_http check to pass",
        async () => {
          const checks = await consul.getJson<HealthCheck[]>("/v1/health/checks/consul_http");
          return checks.find((c) => c.Status === "passing");
        },
        { timeoutMs: 20_000, process: consul.process },
      );
      expect(check).toMatchObject({ CheckID: "consul_http", ServiceName: "consul_http" });
      const healthy = await consul.getJson<unknown[]>("/v1/health/service/consul_http?passing=true");
      expect(healthy).toHaveLength(1);
    });

    it.runIf(cfg.consul.acl.enabled)(
      "register consul_http under default deny with the boot step's tokens, and show it to no anonymous request",
      async () => {
        const { consul } = get();
        const passing = await waitFor(
          "consul_http to pass under ACLs",
          async () => {
            const healthy = await consul.getJson<unknown[]>(`/v1/health/service/${CONSUL_HTTP_SERVICE}?passing=true`);
            return healthy.length === 1 ? healthy : undefined;
          },
          { timeoutMs: 20_000, process: consul.process },
        );
        expect(passing).toHaveLength(1);
        const catalog = async (headers: Record<string, string>): Promise<string[]> => {
          const { status, text } = await http(`${consul.url}/v1/catalog/services`, { headers });
          expect(status, text).toBe(200);
          return Object.keys(JSON.parse(text) as Record<string, string[]>).sort();
        };
        // The management token sees what is there; without a token (the default token is unset, so that is
        // the anonymous token) nothing is visible.
        expect(await catalog({ "X-Consul-Token": get().acl!.management })).toContain(CONSUL_HTTP_SERVICE);
        expect(await catalog({ "X-Consul-Token": "anonymous" })).toEqual([]);
        expect(await catalog({})).toEqual([]);
        const anonymous = await http(`${consul.url}/v1/catalog/service/${CONSUL_HTTP_SERVICE}`);
        expect(anonymous.status, anonymous.text).toBe(200);
        expect(JSON.parse(anonymous.text)).toEqual([]);
        // Nor can a token-less request register a fake consul_http (Prometheus would send its Consul token to
        // its address), or deregister the real one, through the agent or the catalog.
        const fake = { Name: CONSUL_HTTP_SERVICE, ID: "fake", Address: "203.0.113.9", Port: 8500 };
        const register = await http(`${consul.url}/v1/agent/service/register`, { method: "PUT", body: fake });
        expect(register.status, register.text).toBe(403);
        const catalogRegister = await http(`${consul.url}/v1/catalog/register`, {
          method: "PUT",
          body: {
            Node: "image-test",
            Address: "127.0.0.1",
            Service: { ID: "fake", Service: CONSUL_HTTP_SERVICE, Address: fake.Address, Port: fake.Port },
          },
        });
        expect(catalogRegister.status, catalogRegister.text).toBe(403);
        const deregister = await http(`${consul.url}/v1/agent/service/deregister/${CONSUL_HTTP_SERVICE}`, {
          method: "PUT",
        });
        expect(deregister.status, deregister.text).toBe(403);
        const services = await consul.getJson<{ ServiceID: string; ServiceAddress: string }[]>(
          `/v1/catalog/service/${CONSUL_HTTP_SERVICE}`,
        );
        expect(services.map((s) => [s.ServiceID, s.ServiceAddress])).toEqual([[CONSUL_HTTP_SERVICE, ""]]);
        // consul_http's own token may write that one service and read nothing else.
        const own = get().acl!.tokens[CONSUL_HTTP_SERVICE_TOKEN.name]!;
        expect(await catalog({ "X-Consul-Token": own })).toEqual([CONSUL_HTTP_SERVICE]);
      },
    );

    it.runIf(cfg.consul.acl.enabled)(
      "keep the tokens the boot step set in data_dir (enable_token_persistence), so a reboot does not lose them",
      () => {
        const { consul, acl } = get();
        const persisted = JSON.parse(fs.readFileSync(path.join(consul.dataDir, "acl-tokens.json"), "utf8")) as unknown;
        // Only the agent token: the default token stays unset.
        expect(persisted).toEqual({ agent: acl!.tokens[CONSUL_AGENT_TOKEN.name] });
        // consul_http, registered through the API, is kept in data_dir with the token it was registered with.
        const servicesDir = path.join(consul.dataDir, "services");
        const services = fs
          .readdirSync(servicesDir)
          .map((f) => JSON.parse(fs.readFileSync(path.join(servicesDir, f), "utf8")) as { Service: { ID: string } })
          .filter((persisted) => persisted.Service.ID === CONSUL_HTTP_SERVICE);
        expect(services).toEqual([
          expect.objectContaining({
            Token: acl!.tokens[CONSUL_HTTP_SERVICE_TOKEN.name],
            Service: expect.objectContaining({ ID: CONSUL_HTTP_SERVICE, Service: CONSUL_HTTP_SERVICE }),
          }),
        ]);
      },
    );

    it("serve Prometheus text at /v1/agent/metrics?format=prometheus, which needs the telemetry block", async () => {
      const { consul, acl } = get();
      const metricsUrl = `${consul.url}/v1/agent/metrics?format=prometheus`;
      // Under ACLs the endpoint needs agent:read: a token-less scrape is refused, Prometheus' own token (its
      // policy, sent as a bearer token as its scrape config does) is let in.
      const headers: Record<string, string> = {};
      if (acl !== undefined) {
        expect((await http(metricsUrl)).status).toBe(403);
        const token = await createAclToken(consul.url, acl.management, "prometheus", prometheusPolicyRules());
        headers.Authorization = `Bearer ${token}`;
      }
      const { status, text } = await http(metricsUrl, { headers });
      expect(status).toBe(200);
      // With disable_hostname the gauge is not prefixed with the machine's hostname (consul_<host>_runtime_…).
      expect(text).toMatch(/^# TYPE consul_runtime_alloc_bytes gauge$/m);
    });
  });
});

describe.runIf(available)("a Consul client on a Nomad host, started from the generated client config", () => {
  const clients: Agent[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await stopAll();
  });

  // Consul binds every client_addr: a wildcard next to 127.0.0.1, or loopback twice, is "address already in use".
  it.each([
    ["0.0.0.0", ["0.0.0.0"]],
    ["127.0.0.1", ["127.0.0.1"]],
  ])("starts with images.consul.bindAddr %s and serves consul.address on loopback", async (bindAddr, listens) => {
    const httpPort = await freePort();
    const base = loadStack("dev");
    const cfg = {
      ...base,
      consul: { ...base.consul, address: `127.0.0.1:${httpPort}` },
      images: { ...base.images, consul: { ...base.images.consul, bindAddr } },
    };
    const client = await startConsulClient(consulClientHcl(modelOf(cfg, "dev")), httpPort);
    clients.push(client);
    const self = await client.getJson<{ DebugConfig: { ClientAddrs: string[]; BindAddr: string } }>("/v1/agent/self");
    expect(self.DebugConfig.ClientAddrs).toEqual(listens);
    expect(self.DebugConfig.BindAddr).toBe(bindAddr);
  });
});

describe.runIf(available)("hostile values read back by the real agents' HCL v1 parsers", () => {
  let consul: ConsulAgent | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    await consul?.stop();
    await stopAll();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("come back from Consul exactly as written", async () => {
    // retry_join is a go-sockaddr template to Consul with whitespace collapsed, so `{{` and line breaks are
    // left out here; Nomad below gets them.
    dir = tempDir("consul-hostile");
    const file = path.join(dir, "hostile.hcl");
    fs.writeFileSync(file, writeHcl([["retry_join", HOSTILE_SINGLE_LINE]], agentHclString));
    consul = await startConsul({ configFiles: [file] });
    const self = JSON.parse((await http(`${consul.url}/v1/agent/self`)).text) as {
      DebugConfig: { RetryJoinLAN: string[] };
    };
    expect(self.DebugConfig.RetryJoinLAN).toEqual(HOSTILE_SINGLE_LINE);
  });
});
