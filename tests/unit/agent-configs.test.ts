import { describe, expect, it } from "vitest";
import * as path from "node:path";
import type { RawConfig, StackConfig } from "../../config";
import {
  aclPolicyHcl,
  agentHclString,
  bootStep,
  CONSUL_AGENT_TOKEN,
  CONSUL_BOOT_SERVICE_FILE,
  CONSUL_HTTP_SERVICE_TOKEN,
  consulClientAddr,
  consulClientHcl,
  consulServerHcl,
  consulServiceJson,
  hostConstraint,
  nomadClientHcl,
  nomadClientPackerVarsHcl,
  nomadServerHcl,
  NOMAD_CONSUL_TOKEN,
  NOMAD_CONSUL_TOKEN_FILE,
  packerVarsHcl,
  renderImageFiles,
  renderJobs,
  type BootToken,
} from "../../render";
import { decodeTemplateEscapes, only, parseHcl, parseJobspec, type HclBody } from "../support/hcl";
import { HOSTILE } from "../support/hostile";
import { loadArtifacts, loadStack, minimalRaw, parseRaw, STACKS, configErrorOf, modelOf } from "../support/stack";

const NS = "rocketmq-system-jobs";

const FULL_TELEMETRY = {
  collection_interval: "1s",
  disable_hostname: true,
  prometheus_metrics: true,
  publish_allocation_metrics: true,
  publish_node_metrics: true,
};

/** A generated file's comment header, its `# ` prefixes removed: where the files tell operators what to do. */
function commentLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.startsWith("#"))
    .map((line) => line.replace(/^# ?/, ""))
    .join("\n");
}

/** Every key anywhere in a parsed document, blocks and labels included. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...keysOf(child)]);
}

/**
 * What each committed stack's image files carry beyond the common settings, stated per stack: prod enforces
 * Consul ACLs and keeps Prometheus' TSDB on the host volume "prometheus" at /opt/prometheus; dev does neither.
 */
const PER_STACK: Record<(typeof STACKS)[number], { consulAcl: object; nomadHostVolume: object }> = {
  dev: { consulAcl: {}, nomadHostVolume: {} },
  prod: {
    consulAcl: { acl: [{ enabled: true, default_policy: "deny", enable_token_persistence: true }] },
    nomadHostVolume: { host_volume: { prometheus: [{ path: "/opt/prometheus", read_only: false }] } },
  },
};

function withImages(images: Record<string, unknown>, extra: RawConfig = {}): RawConfig {
  return { ...minimalRaw(), [`${NS}:images`]: images, ...extra };
}

describe.each(STACKS)("the %s stack's image files", (stack) => {
  const cfg = loadStack(stack);

  it("configure a Consul server that serves Prometheus metrics and joins the listed servers", async () => {
    const doc = await parseHcl(consulServerHcl(modelOf(cfg, stack)));
    expect(doc).toEqual({
      datacenter: cfg.images.consul.datacenter,
      data_dir: "/opt/consul",
      server: true,
      bootstrap_expect: cfg.images.consulServer.bootstrapExpect,
      retry_join: cfg.images.consul.retryJoin,
      ui: true,
      client_addr: "0.0.0.0",
      bind_addr: "{{ GetPrivateIP }}",
      ports: [{ http: 8500 }],
      telemetry: [{ prometheus_retention_time: "10s", disable_hostname: true }],
      ...PER_STACK[stack].consulAcl,
    });
    expect(cfg.images.consul.retryJoin.length).toBeGreaterThan(0);
  });

  it("define consul_http on port 8500, tagged with the cluster and http, checked against the agent's own API", () => {
    expect(JSON.parse(consulServiceJson(modelOf(cfg)))).toEqual({
      service: {
        name: "consul_http",
        port: 8500,
        tags: [`cluster-${stack}`, "http"],
        check: {
          id: "consul_http",
          name: "Consul HTTP API",
          http: "http://127.0.0.1:8500/v1/status/leader",
          interval: "10s",
          timeout: "2s",
        },
      },
    });
  });

  it("load consul_http from the config directory only without ACLs, else ship it for the boot step to register", () => {
    const names = renderImageFiles(modelOf(cfg, stack)).map((f) => f.name);
    const service = renderImageFiles(modelOf(cfg, stack)).find((f) => f.name.startsWith("consul_service"))!;
    expect(service.content).toBe(consulServiceJson(modelOf(cfg)));
    if (cfg.consul.acl.enabled) {
      // Consul 1.8 would register a config-file service with the default token, which token-less requests share.
      expect(names).not.toContain("consul_service.json");
      expect(service.name).toBe(path.basename(CONSUL_BOOT_SERVICE_FILE));
      expect(path.dirname(CONSUL_BOOT_SERVICE_FILE)).not.toBe("/etc/consul.d");
      expect(commentLines(consulServerHcl(modelOf(cfg, stack)))).toContain(CONSUL_BOOT_SERVICE_FILE);
    } else {
      expect(service.name).toBe("consul_service.json");
    }
  });

  it("configure the Consul client on Nomad hosts to join the same servers and serve consul.address", async () => {
    const doc = await parseHcl(consulClientHcl(modelOf(cfg, stack)));
    expect(doc).toEqual({
      datacenter: cfg.images.consul.datacenter,
      data_dir: "/opt/consul",
      retry_join: cfg.images.consul.retryJoin,
      bind_addr: "{{ GetPrivateIP }}",
      // Loopback for Fabio on host networking, the node's address for Prometheus in its container.
      client_addr: "127.0.0.1 {{ GetPrivateIP }}",
      ports: [{ http: 8500 }],
      ...PER_STACK[stack].consulAcl,
    });
    expect(cfg.consul.address).toBe("127.0.0.1:8500");
  });

  it.each([
    ["server", (c: StackConfig, name: string) => nomadServerHcl(modelOf(c, name))],
    ["client", (c: StackConfig, name: string) => nomadClientHcl(modelOf(c, name), "dc1")],
  ])(
    "give the Nomad %s the full telemetry block and the stack's Consul agent, under the stack's own service names",
    async (_, render) => {
      const doc = await parseHcl(render(cfg, stack));
      expect(only(doc.telemetry)).toEqual(FULL_TELEMETRY);
      // The stack files name their cluster after the stack.
      expect(only(doc.consul)).toEqual({
        address: cfg.consul.address,
        server_service_name: `${stack}-nomad`,
        client_service_name: `${stack}-nomad-client`,
        tags: [`cluster-${stack}`],
      });
      expect(doc).toMatchObject({ region: cfg.nomad.region, datacenter: "dc1", data_dir: "/opt/nomad" });
      expect(only(doc.advertise)).toEqual({
        http: "{{ GetPrivateIP }}",
        rpc: "{{ GetPrivateIP }}",
        serf: "{{ GetPrivateIP }}",
      });
    },
  );

  it("make the Nomad server expect the configured number of servers", async () => {
    const doc = await parseHcl(nomadServerHcl(modelOf(cfg, stack)));
    expect(only(doc.server)).toEqual({ enabled: true, bootstrap_expect: cfg.images.nomadServer.bootstrapExpect });
    expect(doc.client).toBeUndefined();
  });

  it("give the Nomad client the node class the Fabio jobs' constraint selects", async () => {
    const client = only((await parseHcl(nomadClientHcl(modelOf(cfg, stack), "dc1"))).client);
    expect(client).toEqual({ enabled: true, node_class: "nameServer", ...PER_STACK[stack].nomadHostVolume });
    expect(hostConstraint(cfg.nameServerHosts)).toEqual({ attribute: "${node.class}", value: client.node_class });
  });

  it("declare on the Nomad client every host volume the Prometheus job mounts, and no other", async () => {
    const prometheus = renderJobs(modelOf(cfg, stack)).find((job) => job.kind === "prometheus")!;
    const { group } = await parseJobspec(prometheus.hcl);
    const needed = Object.values((group.volume ?? {}) as Record<string, HclBody[]>)
      .map((list) => only(list, "volume"))
      .filter((volume) => volume.type === "host")
      .map((volume) => volume.source);
    const client = only((await parseHcl(nomadClientHcl(modelOf(cfg, stack), "dc1"))).client);
    expect(Object.keys((client.host_volume ?? {}) as Record<string, unknown>)).toEqual(needed);
    expect(needed).toHaveLength(cfg.prometheus.storage.kind === "hostVolume" ? 1 : 0);
  });

  it("hand packer the directory of that host volume to create, and an empty path without one", async () => {
    const vars = await parseHcl(packerVarsHcl(modelOf(cfg, stack)));
    const volumes = (only((await parseHcl(nomadClientHcl(modelOf(cfg, stack), "dc1"))).client).host_volume ??
      {}) as Record<string, HclBody[]>;
    const paths = Object.values(volumes).map((list) => only(list, "host_volume").path);
    expect(vars.prometheus_volume_path).toBe(paths[0] ?? "");
    expect(paths.length).toBeLessThanOrEqual(1);
  });

  it("name the boot step for every Consul token the agents need, and carry no token themselves", async () => {
    const headers = renderImageFiles(modelOf(cfg, stack))
      .filter((file) => file.name.endsWith(".hcl"))
      .map((file) => ({ name: file.name, header: commentLines(file.content) }));
    const named = (token: BootToken): string[] =>
      headers.filter(({ header }) => header.includes(bootStep(token))).map(({ name }) => name);
    const acl = cfg.consul.acl.enabled;
    expect(named(CONSUL_AGENT_TOKEN)).toEqual(acl ? ["consul-server.hcl", "consul-client.hcl"] : []);
    expect(named(CONSUL_HTTP_SERVICE_TOKEN)).toEqual(acl ? ["consul-server.hcl"] : []);
    // No file sets the default token, which every token-less request would run under.
    for (const { name, header } of headers) expect(header, name).not.toMatch(/set-agent-token default/);
    const clients = cfg.nomad.datacenters.map((dc) => `nomad-client/${dc}/nomad-client.hcl`);
    expect(named(NOMAD_CONSUL_TOKEN)).toEqual(acl ? ["nomad-server.hcl", ...clients] : []);
    for (const file of renderImageFiles(modelOf(cfg, stack))) {
      expect(
        keysOf(file.name.endsWith(".json") ? JSON.parse(file.content) : await parseHcl(file.content)),
      ).not.toContain("token");
      expect(file.content, file.name).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    }
  });

  it("are what the render CLI writes under packer/", () => {
    const packer = loadArtifacts(stack).filter((a) => a.path.startsWith("packer/"));
    expect(packer).toEqual(
      renderImageFiles(modelOf(cfg, stack)).map((f) => ({ path: `packer/${f.name}`, content: f.content })),
    );
  });
});

describe("image files from one config value each", () => {
  it("mark Nomad clients with node meta when NameServer hosts are selected by meta", async () => {
    const cfg = parseRaw({ ...minimalRaw(), [`${NS}:nameServerHosts`]: { by: "meta", key: "role", value: "ns" } });
    const client = only((await parseHcl(nomadClientHcl(modelOf(cfg, "test"), "dc1"))).client);
    expect(client).toEqual({ enabled: true, meta: { role: "ns" } });
    expect(hostConstraint(cfg.nameServerHosts)).toEqual({ attribute: "${meta.role}", value: "ns" });
  });

  it("follow a changed node class in both the client config and the Fabio constraint", async () => {
    const cfg = parseRaw({ ...minimalRaw(), [`${NS}:nameServerHosts`]: { by: "nodeClass", nodeClass: "rmq-ns" } });
    expect(only((await parseHcl(nomadClientHcl(modelOf(cfg, "test"), "dc1"))).client).node_class).toBe("rmq-ns");
    expect(hostConstraint(cfg.nameServerHosts).value).toBe("rmq-ns");
  });

  it("put a changed HTTP port into the Consul server's ports, the service and its check alike", async () => {
    const cfg = parseRaw(withImages({ consulServer: { httpPort: 18500 } }));
    expect(only((await parseHcl(consulServerHcl(modelOf(cfg, "test")))).ports)).toEqual({ http: 18500 });
    const { service } = JSON.parse(consulServiceJson(modelOf(cfg))) as {
      service: { port: number; check: { http: string } };
    };
    expect(service.port).toBe(18500);
    expect(service.check.http).toBe("http://127.0.0.1:18500/v1/status/leader");
  });

  it("serve a changed consul.address port from the Consul client and hand the address to Nomad", async () => {
    const cfg = parseRaw({ ...minimalRaw(), [`${NS}:consul`]: { address: "127.0.0.1:18500" } });
    expect(only((await parseHcl(consulClientHcl(modelOf(cfg, "test")))).ports)).toEqual({ http: 18500 });
    expect(only((await parseHcl(nomadClientHcl(modelOf(cfg, "test"), "dc1"))).consul)).toMatchObject({
      address: "127.0.0.1:18500",
    });
  });

  it("place the Nomad servers in the first job datacenter unless images.nomadServer.datacenter says otherwise", async () => {
    const raw = { ...minimalRaw(), [`${NS}:nomad`]: { datacenters: ["dc7", "dc8"] } };
    expect((await parseHcl(nomadServerHcl(modelOf(parseRaw(raw), "test")))).datacenter).toBe("dc7");
    const pinned = parseRaw({ ...raw, [`${NS}:images`]: { nomadServer: { datacenter: "ctrl" } } });
    expect((await parseHcl(nomadServerHcl(modelOf(pinned, "test")))).datacenter).toBe("ctrl");
  });

  it("render a `nomad agent -dev` file that registers under the stack's names, serves metrics and is a NameServer host", async () => {
    const cfg = loadStack("dev");
    const file = renderImageFiles(modelOf(cfg, "dev")).find((f) => f.name === "nomad-dev-agent.hcl")!;
    const agent = await parseHcl(file.content);
    expect(only(agent.consul)).toEqual({
      address: "127.0.0.1:8500",
      server_service_name: "dev-nomad",
      client_service_name: "dev-nomad-client",
      tags: ["cluster-dev"],
    });
    expect(only(agent.telemetry)).toMatchObject({ prometheus_metrics: true, publish_node_metrics: true });
    expect(only(agent.client)).toEqual({ node_class: "nameServer" });
    // -dev supplies the machine's part: no data_dir, addresses or server block of the images'.
    expect(Object.keys(agent).sort()).toEqual(["client", "consul", "datacenter", "region", "telemetry"]);
  });

  it("render one server config and a client config and variables file for each job datacenter", async () => {
    const raw = { ...minimalRaw(), [`${NS}:nomad`]: { datacenters: ["dc7", "dc8"] } };
    const files = renderImageFiles(modelOf(parseRaw(raw), "test"));
    expect(files.map((f) => f.name).filter((name) => name.startsWith("nomad"))).toEqual([
      "nomad-server.hcl",
      "nomad-dev-agent.hcl",
      "nomad-client/dc7/nomad-client.hcl",
      "nomad-client/dc7/images.pkrvars.hcl",
      "nomad-client/dc8/nomad-client.hcl",
      "nomad-client/dc8/images.pkrvars.hcl",
    ]);
    for (const dc of ["dc7", "dc8"]) {
      const client = files.find((f) => f.name === `nomad-client/${dc}/nomad-client.hcl`)!;
      expect((await parseHcl(client.content)).datacenter).toBe(dc);
      const vars = files.find((f) => f.name === `nomad-client/${dc}/images.pkrvars.hcl`)!;
      expect((await parseHcl(vars.content)).nomad_client_datacenter).toBe(dc);
    }
  });

  it("hand packer the stack and the same data directories the agent configs use", async () => {
    const cfg = parseRaw(withImages({ consul: { dataDir: "/data/consul" }, nomad: { dataDir: "/data/nomad" } }));
    expect(await parseHcl(packerVarsHcl(modelOf(cfg, "test")))).toEqual({
      stack: "test",
      consul_data_dir: "/data/consul",
      nomad_data_dir: "/data/nomad",
      prometheus_volume_path: "",
      consul_version: "1.8.7",
      nomad_version: "1.4",
    });
    expect((await parseHcl(consulServerHcl(modelOf(cfg, "test")))).data_dir).toBe("/data/consul");
    expect((await parseHcl(nomadClientHcl(modelOf(cfg, "test"), "dc1"))).data_dir).toBe("/data/nomad");
  });

  it.each([
    ["1.8.7", "1.4"],
    ["1.8", "1.4.14"],
    ["1.13.0", "1.5"],
    ["1.16.3", "1.6.2"],
    ["1.20", "1.10.0"],
  ])("accept Consul %s with Nomad %s, versions whose leadership the alerts read", (consul, nomad) => {
    const cfg = parseRaw(withImages({ consul: { version: consul }, nomad: { version: nomad } }));
    expect([cfg.images.consul.version, cfg.images.nomad.version]).toEqual([consul, nomad]);
  });

  it("default to Consul 1.8.7 and the Nomad 1.4 line", () => {
    const cfg = parseRaw(minimalRaw());
    expect([cfg.images.consul.version, cfg.images.nomad.version]).toEqual(["1.8.7", "1.4"]);
  });

  it.each(["1.9.0", "1.10.1", "1.12"])("refuse Consul %s in one line saying why", (version) => {
    expect(configErrorOf(withImages({ consul: { version } }))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:images.consul.version: Consul ${version} is not supported: Consul 1.9 to 1.12 cannot tell a follower from a leaderless cluster (every server publishes consul_autopilot_healthy, none says which one leads), so ConsulNoLeader cannot read it; use 1.8.x or 1.13 and later`,
    );
  });

  it.each(["1.7.14", "0.9"])("refuse Consul %s, older than the images are written for", (version) => {
    expect(configErrorOf(withImages({ consul: { version } }))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:images.consul.version: Consul ${version} is not supported: the images and alert rules are written for Consul 1.8.x or 1.13 and later`,
    );
  });

  it.each(["1.3.10", "0.12"])("refuse Nomad %s, older than Nomad Variables", (version) => {
    expect(configErrorOf(withImages({ nomad: { version } }))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:images.nomad.version: must be Nomad 1.4 or later: the jobs' Consul tokens arrive through Nomad Variables, new in 1.4; it is "${version}"`,
    );
  });

  it.each(["v1.16.3", "1.16.3-ent", "1", "latest", '1.8.7" ; rm -rf /'])("refuse %j as an agent version", (version) => {
    expect(configErrorOf(withImages({ consul: { version } }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:images\.consul\.version: must be a release such as "1\.16\.3" or a release line such as "1\.16" \(any 1\.16\.x\); it is /,
    );
  });

  it("hand packer the agent versions the stack runs: Consul 1.16.3 with Nomad 1.6.2", async () => {
    const cfg = parseRaw(withImages({ consul: { version: "1.16.3" }, nomad: { version: "1.6.2" } }));
    const files = renderImageFiles(modelOf(cfg)).filter((f) => f.name.endsWith("images.pkrvars.hcl"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const vars = await parseHcl(file.content);
      expect([vars.consul_version, vars.nomad_version], file.name).toEqual(["1.16.3", "1.6.2"]);
    }
  });
});

describe("Consul ACLs in the image files", () => {
  const withAcl = (enabled: boolean): StackConfig =>
    parseRaw({
      ...minimalRaw(),
      [`${NS}:consul`]: { acl: enabled ? { enabled, apiAddress: "consul.internal:8501" } : { enabled } },
    });

  it.each([true, false])(
    "put the acl block in the Consul server and client configs exactly when enabled is %s",
    async (enabled) => {
      const cfg = withAcl(enabled);
      const expected = enabled
        ? [{ enabled: true, default_policy: "deny", enable_token_persistence: true }]
        : undefined;
      expect((await parseHcl(consulServerHcl(modelOf(cfg, "test")))).acl).toEqual(expected);
      expect((await parseHcl(consulClientHcl(modelOf(cfg, "test")))).acl).toEqual(expected);
    },
  );

  it("leave Nomad's consul block without a token, its token coming from the boot step's file", async () => {
    const cfg = withAcl(true);
    for (const text of [nomadServerHcl(modelOf(cfg, "test")), nomadClientHcl(modelOf(cfg, "test"), "dc1")]) {
      expect(only((await parseHcl(text)).consul)).toEqual({
        address: cfg.consul.address,
        server_service_name: "test-nomad",
        client_service_name: "test-nomad-client",
        tags: ["cluster-test"],
      });
      expect(commentLines(text)).toContain(NOMAD_CONSUL_TOKEN_FILE);
    }
    expect(path.dirname(NOMAD_CONSUL_TOKEN_FILE)).toBe("/etc/nomad.d");
  });

  it("write each boot token's policy as Consul ACL rules", async () => {
    expect(await parseHcl(aclPolicyHcl(NOMAD_CONSUL_TOKEN))).toEqual({
      agent_prefix: { "": [{ policy: "read" }] },
      node_prefix: { "": [{ policy: "read" }] },
      service_prefix: { "": [{ policy: "write" }] },
    });
    expect(await parseHcl(aclPolicyHcl(CONSUL_HTTP_SERVICE_TOKEN))).toEqual({
      service: { consul_http: [{ policy: "write" }] },
    });
    expect(await parseHcl(aclPolicyHcl(CONSUL_AGENT_TOKEN))).toEqual({
      node_prefix: { "": [{ policy: "write" }] },
      service_prefix: { "": [{ policy: "read" }] },
    });
  });
});

describe("the Consul client's listen addresses", () => {
  it.each([
    ["{{ GetPrivateIP }}", "127.0.0.1 {{ GetPrivateIP }}"],
    ["10.0.0.5", "127.0.0.1 10.0.0.5"],
    // A wildcard covers loopback: listing both makes Consul's second bind fail ("address already in use").
    ["0.0.0.0", "0.0.0.0"],
    ["::", "::"],
    ["127.0.0.1", "127.0.0.1"],
  ])("with images.consul.bindAddr %j are %j", async (bindAddr, clientAddr) => {
    const cfg = parseRaw(withImages({ consul: { bindAddr } }));
    expect(consulClientAddr(bindAddr)).toBe(clientAddr);
    expect((await parseHcl(consulClientHcl(modelOf(cfg, "test")))).client_addr).toBe(clientAddr);
  });
});

describe("Prometheus' host volume in the image files", () => {
  const hostVolumeRaw = (placement: Record<string, unknown>, images: Record<string, unknown> = {}): RawConfig =>
    withImages(images, { [`${NS}:prometheus`]: { storage: { kind: "hostVolume", volume: "tsdb" }, placement } });

  it("takes its name from prometheus.storage and its path from images.nomad.prometheusVolumePath", async () => {
    const cfg = parseRaw(hostVolumeRaw({ by: "nameServerHosts" }, { nomad: { prometheusVolumePath: "/data/tsdb" } }));
    expect(only((await parseHcl(nomadClientHcl(modelOf(cfg, "test"), "dc1"))).client).host_volume).toEqual({
      tsdb: [{ path: "/data/tsdb", read_only: false }],
    });
    expect((await parseHcl(packerVarsHcl(modelOf(cfg, "test")))).prometheus_volume_path).toBe("/data/tsdb");
    expect((await parseHcl(nomadServerHcl(modelOf(cfg, "test")))).client).toBeUndefined();
  });

  it.each([{ by: "nameServerHosts" }, { by: "anyHost" }, { by: "nodeClass", nodeClass: "nameServer" }])(
    "is accepted with Prometheus placed by %o, where Nomad finds a host that has it",
    (placement) => {
      expect(parseRaw(hostVolumeRaw(placement)).prometheus.placement).toEqual(placement);
    },
  );

  it.each([
    { by: "nodeClass", nodeClass: "monitoring" },
    { by: "meta", key: "role", value: "monitoring" },
  ])("is refused with Prometheus placed by %o, on hosts whose image does not declare it", (placement) => {
    expect(configErrorOf(hostVolumeRaw(placement))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.placement: selects hosts other than the NameServer hosts, but only their Nomad client image declares the host volume "tsdb" (prometheus.storage); place Prometheus by nameServerHosts or anyHost, or use ephemeralDisk storage',
    );
  });

  it("is not declared, nor its path checked against placement, with an ephemeral disk", async () => {
    const cfg = parseRaw(
      withImages({}, { [`${NS}:prometheus`]: { placement: { by: "nodeClass", nodeClass: "monitoring" } } }),
    );
    expect(only((await parseHcl(nomadClientHcl(modelOf(cfg, "test"), "dc1"))).client).host_volume).toBeUndefined();
  });
});

describe("images config", () => {
  it("fills every default from a config that only names the cluster", () => {
    expect(parseRaw(minimalRaw()).images).toEqual({
      consul: {
        version: "1.8.7",
        datacenter: "dc1",
        retryJoin: [],
        dataDir: "/opt/consul",
        bindAddr: "{{ GetPrivateIP }}",
      },
      consulServer: {
        bootstrapExpect: 3,
        ui: true,
        clientAddr: "0.0.0.0",
        httpPort: 8500,
        prometheusRetentionTime: "10s",
      },
      nomad: {
        version: "1.4",
        dataDir: "/opt/nomad",
        bindAddr: "0.0.0.0",
        advertiseAddr: "{{ GetPrivateIP }}",
        collectionInterval: "1s",
        prometheusVolumePath: "/opt/prometheus",
      },
      nomadServer: { bootstrapExpect: 3 },
    });
  });

  it.each(["0s", "0m0s", "0.0s", "ten seconds", "10", "-10s", "10d", ""])(
    "rejects Prometheus retention %j",
    (value) => {
      expect(configErrorOf(withImages({ consulServer: { prometheusRetentionTime: value } }))).toMatch(
        /^Pulumi\.prod\.yaml: rocketmq-system-jobs:images\.consulServer\.prometheusRetentionTime: must be a duration/,
      );
    },
  );

  it.each(["500ms", "1m30s", "1.5h"])("accepts Prometheus retention %j", (value) => {
    const cfg = parseRaw(withImages({ consulServer: { prometheusRetentionTime: value } }));
    expect(cfg.images.consulServer.prometheusRetentionTime).toBe(value);
  });

  it.each(["0s", "ten seconds"])("rejects Nomad collection interval %j", (value) => {
    expect(configErrorOf(withImages({ nomad: { collectionInterval: value } }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:images\.nomad\.collectionInterval: must be a duration/,
    );
  });

  it.each(["my cluster", 'my "cluster"', "cluster\n"])(
    "rejects cluster name %j, which would end up in the consul_http tag",
    (clusterName) => {
      expect(configErrorOf({ [`${NS}:clusterName`]: clusterName })).toMatch(
        /^Pulumi\.prod\.yaml: rocketmq-system-jobs:clusterName: must be 1-63 lower-case letters/,
      );
    },
  );

  it("rejects a Consul server client address the consul_http check cannot reach on loopback", () => {
    expect(configErrorOf(withImages({ consulServer: { clientAddr: "10.0.0.5" } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:images.consulServer.clientAddr: must include 0.0.0.0 or 127.0.0.1: the consul_http check calls the agent on 127.0.0.1; it is "10.0.0.5"',
    );
  });

  it("accepts a Consul server client address list that includes loopback", () => {
    expect(
      parseRaw(withImages({ consulServer: { clientAddr: "127.0.0.1 10.0.0.5" } })).images.consulServer,
    ).toMatchObject({ clientAddr: "127.0.0.1 10.0.0.5" });
  });

  it.each([
    ["0.0.0.0", undefined],
    ["127.0.0.1 10.0.0.5", "10.0.0.5"],
    ["10.0.0.5 127.0.0.1", "10.0.0.5"],
  ])(
    "registers consul_http where other hosts reach an API on %j: at %s (unset: the node address)",
    (clientAddr, at) => {
      const cfg = parseRaw(withImages({ consulServer: { clientAddr } }));
      expect((JSON.parse(consulServiceJson(modelOf(cfg))) as { service: { address?: string } }).service.address).toBe(
        at,
      );
    },
  );

  it.each(["127.0.0.1 0.0.0.0", "0.0.0.0 10.0.0.5", ":: 127.0.0.1"])(
    "rejects Consul server client addresses %j, a wildcard beside other addresses Consul would bind twice",
    (clientAddr) => {
      expect(configErrorOf(withImages({ consulServer: { clientAddr } }))).toBe(
        `Pulumi.prod.yaml: rocketmq-system-jobs:images.consulServer.clientAddr: must be a wildcard (0.0.0.0 or ::) alone or specific addresses only: Consul binds each one and a wildcard already covers the rest; it is "${clientAddr}"`,
      );
    },
  );

  it("rejects a Consul server client address listed twice", () => {
    expect(configErrorOf(withImages({ consulServer: { clientAddr: "127.0.0.1 127.0.0.1" } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:images.consulServer.clientAddr: must not list an address twice (Consul would bind it twice and fail to start); it is "127.0.0.1 127.0.0.1"',
    );
  });

  it.each([
    [{ nomad: { prometheusVolumePath: "opt/prometheus" } }, "nomad.prometheusVolumePath", "must be an absolute path"],
    [{ consul: { dataDir: "opt/consul" } }, "consul.dataDir", "must be an absolute path"],
    [{ consul: { bindAddr: "eth0" } }, "consul.bindAddr", "must be an IP address or a go-sockaddr template"],
    [{ consul: { retryJoin: ['10.0.0.1" ]'] } }, "consul.retryJoin[0]", "must be a host"],
    [
      { consulServer: { bootstrapExpect: 0 } },
      "consulServer.bootstrapExpect",
      "must be a number of servers, 1 or more",
    ],
    [{ consulServer: { httpPort: 0 } }, "consulServer.httpPort", "must be a port"],
    [{ nomad: { advertiseAddr: "{{ GetPrivateIP }" } }, "nomad.advertiseAddr", "must be an IP address"],
    [{ nomadServer: { datacenter: "dc 1" } }, "nomadServer.datacenter", "must be letters"],
    [{ consulServer: { retention: "10s" } }, "consulServer.retention", "is not a known setting"],
  ])("rejects %o naming the key", (images, key, detail) => {
    expect(configErrorOf(withImages(images))).toMatch(
      new RegExp(`^Pulumi\\.prod\\.yaml: rocketmq-system-jobs:images\\.${key.replace(/[.[\]]/g, "\\$&")}: ${detail}`),
    );
  });
});

function hostileConfig(value: string, hosts: StackConfig["nameServerHosts"]): StackConfig {
  const base = parseRaw(minimalRaw());
  return {
    ...base,
    clusterName: value,
    nomad: { ...base.nomad, region: value },
    nameServerHosts: hosts,
    consul: { ...base.consul, address: `${value}:8500` },
    prometheus: { ...base.prometheus, storage: { kind: "hostVolume", volume: value } },
    images: {
      consul: { version: value, datacenter: value, retryJoin: [value, "10.0.0.1"], dataDir: value, bindAddr: value },
      consulServer: {
        bootstrapExpect: 3,
        ui: true,
        clientAddr: value,
        httpPort: 8500,
        prometheusRetentionTime: value,
      },
      nomad: {
        version: value,
        dataDir: value,
        bindAddr: value,
        advertiseAddr: value,
        collectionInterval: value,
        prometheusVolumePath: value,
      },
      nomadServer: { bootstrapExpect: 3, datacenter: value },
    },
  };
}

describe("hostile values in image files", () => {
  it.each(HOSTILE)("come back from the Consul configs exactly: %j", async (value) => {
    const cfg = hostileConfig(value, { by: "nodeClass", nodeClass: value });
    expect(await parseHcl(consulServerHcl(modelOf(cfg, value)))).toEqual({
      datacenter: value,
      data_dir: value,
      server: true,
      bootstrap_expect: 3,
      retry_join: [value, "10.0.0.1"],
      ui: true,
      client_addr: value,
      bind_addr: value,
      ports: [{ http: 8500 }],
      telemetry: [{ prometheus_retention_time: value, disable_hostname: true }],
    });
    expect(await parseHcl(consulClientHcl(modelOf(cfg, value)))).toEqual({
      datacenter: value,
      data_dir: value,
      retry_join: [value, "10.0.0.1"],
      bind_addr: value,
      client_addr: `127.0.0.1 ${value}`,
      ports: [{ http: 8500 }],
    });
    expect((JSON.parse(consulServiceJson(modelOf(cfg))) as { service: { tags: string[] } }).service.tags).toEqual([
      `cluster-${value}`,
      "http",
    ]);
  });

  it.each(HOSTILE)("come back from the Nomad configs exactly: %j", async (value) => {
    const expectedCommon = {
      region: value,
      datacenter: value,
      data_dir: value,
      bind_addr: value,
      advertise: [{ http: value, rpc: value, serf: value }],
      consul: [
        {
          address: `${value}:8500`,
          server_service_name: `${value}-nomad`,
          client_service_name: `${value}-nomad-client`,
          tags: [`cluster-${value}`],
        },
      ],
      telemetry: [{ ...FULL_TELEMETRY, collection_interval: value }],
    };
    const byClass = hostileConfig(value, { by: "nodeClass", nodeClass: value });
    expect(await parseHcl(nomadServerHcl(modelOf(byClass, value)))).toEqual({
      ...expectedCommon,
      server: [{ enabled: true, bootstrap_expect: 3 }],
    });
    const hostVolume = { [value]: [{ path: value, read_only: false }] };
    expect(await parseHcl(nomadClientHcl(modelOf(byClass, value), value))).toEqual({
      ...expectedCommon,
      client: [{ enabled: true, node_class: value, host_volume: hostVolume }],
    });
    const byMeta = hostileConfig(value, { by: "meta", key: value, value });
    const doc = await parseHcl(nomadClientHcl(modelOf(byMeta, value), value));
    // parseHcl decodes values only; an object key comes back in source form too.
    const client = only<{ enabled: boolean; meta: Record<string, string>; host_volume: unknown }>(doc.client);
    expect(Object.keys(client).sort()).toEqual(["enabled", "host_volume", "meta"]);
    // A block label is a plain string literal to HCL: it comes back exactly, undecoded.
    expect(client.host_volume).toEqual(hostVolume);
    const meta = client.meta;
    expect(Object.entries(meta).map(([k, v]) => [decodeTemplateEscapes(k), v])).toEqual([[value, value]]);
    expect({ ...doc, client: undefined }).toEqual({ ...expectedCommon, client: undefined });
  });

  it.each(HOSTILE)("come back from packer's variables file exactly: %j", async (value) => {
    const cfg = hostileConfig(value, { by: "nodeClass", nodeClass: value });
    const shared = {
      stack: value,
      consul_data_dir: value,
      nomad_data_dir: value,
      prometheus_volume_path: value,
      consul_version: value,
      nomad_version: value,
    };
    expect(await parseHcl(packerVarsHcl(modelOf(cfg, value)))).toEqual(shared);
    expect(await parseHcl(nomadClientPackerVarsHcl(modelOf(cfg, value), value))).toEqual({
      ...shared,
      nomad_client_datacenter: value,
    });
  });

  it.each(HOSTILE)("are written without the $${ and %%{ escapes HCL v1 would keep literally: %j", (value) => {
    const cfg = hostileConfig(value, { by: "meta", key: value, value });
    for (const text of [
      consulServerHcl(modelOf(cfg, "x")),
      consulClientHcl(modelOf(cfg, "x")),
      nomadClientHcl(modelOf(cfg, "x"), "dc1"),
    ]) {
      expect(text).not.toMatch(/\$\$\{|%%\{/);
    }
    expect(agentHclString("${")).toBe('"\\u0024{"');
    expect(agentHclString("%{")).toBe('"\\u0025{"');
  });
});
