import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { encodeAsEngine, loadStackFile, stackConfigSchema, type RawConfig } from "../../config";
import { hostConstraint, renderJobs } from "../../render";
import { only, parseHcl, parseJobspec } from "../support/hcl";
import { readStackFileConfig } from "../support/pulumi";
import { acceptedType } from "../support/schema";
import { loadStack, minimalRaw, parseRaw, STACKS, configErrorOf, modelOf } from "../support/stack";

const NS = "rocketmq-system-jobs";

function fabio(overrides: Record<string, unknown>): RawConfig {
  return { ...minimalRaw(), [`${NS}:fabio`]: overrides };
}

describe("stack config", () => {
  it.each(STACKS)("accepts the committed %s stack file", (stack) => {
    const cfg = loadStack(stack);
    expect(cfg.clusterName).toBe(stack);
    expect(cfg.fabio.nameServerIndex.proxyPort).toBe(8080);
    expect(cfg.fabio.prometheus.proxyPort).toBe(9090);
  });

  it("selects NameServer hosts by the nameServer node class in prod", () => {
    expect(loadStack("prod").nameServerHosts).toEqual({ by: "nodeClass", nodeClass: "nameServer" });
  });

  it("fills every default from a config that only names the cluster", () => {
    const cfg = parseRaw(minimalRaw());
    expect(cfg.nomad).toEqual({ region: "global", datacenters: ["dc1"] });
    expect(cfg.nameServerHosts).toEqual({ by: "nodeClass", nodeClass: "nameServer" });
    expect(cfg.consul.address).toBe("127.0.0.1:8500");
    expect(cfg.fabio.image).toBe("fabiolb/fabio:1.6.3");
    expect(cfg.fabio.nameServerIndex).toMatchObject({ proxyPort: 8080, uiPort: 9998, tagPrefix: "rmq-nsindex-" });
    expect(cfg.fabio.prometheus).toMatchObject({ proxyPort: 9090, uiPort: 9999, tagPrefix: "rmq-prometheus-" });
  });

  it("keeps every top-level key a mapping or a string, the only scalar Pulumi hands a program", () => {
    const types = Object.values(stackConfigSchema.shape).map(acceptedType);
    expect(types.filter((type) => !["object", "union", "string"].includes(type))).toEqual([]);
  });

  it("reads bare keys as the project's own, as Pulumi does", () => {
    expect(parseRaw({ clusterName: "bare" }).clusterName).toBe("bare");
  });

  it.each([
    ["nomad:address", "http://127.0.0.1:4646"],
    ["pulumi:tags", '{"team":"mq"}'],
  ])("accepts %s, a key of a provider the program uses or of Pulumi itself", (key, value) => {
    expect(() => parseRaw({ ...minimalRaw(), [key]: value })).not.toThrow();
  });

  it.each([
    ["rocketmq-sytem-jobs:fabio", { nameServerIndex: { proxyPort: 8081 } }],
    ["aws:region", "eu-west-1"],
    [":clusterName", "x"],
  ])("rejects %s, a key in a namespace nothing here reads, naming the file and the key", (key, value) => {
    const namespace = key.split(":")[0];
    expect(configErrorOf({ ...minimalRaw(), [key]: value }, "Pulumi.dev.yaml")).toBe(
      `Pulumi.dev.yaml: ${key}: "${namespace}" is not a config namespace of this program (rocketmq-system-jobs, nomad, pulumi); check the spelling`,
    );
  });

  it.each([
    ["consul:address", "127.0.0.1:8500"],
    ["consul:token", "a-token-in-plain-text"],
  ])("rejects %s: the default Consul provider is never used, so the key would have no effect", (key, value) => {
    expect(configErrorOf({ ...minimalRaw(), [key]: value }, "Pulumi.dev.yaml")).toBe(
      `Pulumi.dev.yaml: ${key}: "consul:" keys have no effect: the program never uses the default Consul provider; its ACL resources use one configured by rocketmq-system-jobs:consul.acl (address, scheme, datacenter) and the secret rocketmq-system-jobs:consulAclToken`,
    );
  });

  it("takes the cluster whose Consul servers Prometheus scrapes as a cluster name", () => {
    expect(parseRaw({ ...minimalRaw(), [`${NS}:consul`]: { serverCluster: "platform" } }).consul.serverCluster).toBe(
      "platform",
    );
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:consul`]: { serverCluster: "Plat form" } })).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:consul\.serverCluster: /,
    );
  });

  it("requires the cluster name", () => {
    expect(configErrorOf({})).toMatch(/^Pulumi\.prod\.yaml: rocketmq-system-jobs:clusterName: /);
  });

  it("rejects a cluster name with spaces or quotes", () => {
    expect(configErrorOf({ [`${NS}:clusterName`]: 'my "cluster"' })).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:clusterName: must be 1-63 lower-case letters/,
    );
  });

  it("rejects a misspelled key instead of ignoring it", () => {
    expect(configErrorOf(fabio({ nameServerIndex: { proxyPrt: 8080 } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.nameServerIndex.proxyPrt: is not a known setting (check the spelling; the settings here are jobName, proxyPort, uiPort, metricsPort, tagPrefix, resources)",
    );
  });

  const LEAK = "Fabio matches tag prefixes as plain text, so the two Fabios' routes would leak into each other";

  it("rejects a Prometheus prefix that starts with the index prefix, naming both keys", () => {
    expect(
      configErrorOf(
        fabio({ nameServerIndex: { tagPrefix: "urlprefix-" }, prometheus: { tagPrefix: "urlprefix-prom-" } }),
      ),
    ).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.tagPrefix: "urlprefix-prom-" starts with fabio.nameServerIndex.tagPrefix "urlprefix-": ${LEAK}; choose prefixes that do not start with one another`,
    );
  });

  it("blames the prefix the stack file changed, not the default it now overlaps", () => {
    expect(configErrorOf(fabio({ prometheus: { tagPrefix: "rmq-" } }))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.tagPrefix: "rmq-" is the start of fabio.nameServerIndex.tagPrefix "rmq-nsindex-": ${LEAK}; choose prefixes that do not start with one another`,
    );
    expect(configErrorOf(fabio({ nameServerIndex: { tagPrefix: "rmq-prometheus-x" } }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:fabio\.nameServerIndex\.tagPrefix: "rmq-prometheus-x" starts with fabio\.prometheus\.tagPrefix "rmq-prometheus-":/,
    );
  });

  it("rejects an index prefix that starts with the Prometheus prefix", () => {
    expect(
      configErrorOf(fabio({ nameServerIndex: { tagPrefix: "rmq-x" }, prometheus: { tagPrefix: "rmq-" } })),
    ).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:fabio\.prometheus\.tagPrefix: "rmq-" is the start of fabio\.nameServerIndex\.tagPrefix "rmq-x"/,
    );
  });

  it("rejects identical tag prefixes", () => {
    expect(
      configErrorOf(fabio({ nameServerIndex: { tagPrefix: "same-" }, prometheus: { tagPrefix: "same-" } })),
    ).toMatch(/fabio\.prometheus\.tagPrefix: "same-" is also fabio\.nameServerIndex\.tagPrefix "same-"/);
  });

  it("blames the port the stack file changed when it takes the other Fabio's default", () => {
    expect(configErrorOf(fabio({ prometheus: { uiPort: 9998 } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.uiPort: port 9998 is already used by fabio.nameServerIndex.uiPort on the same host",
    );
    expect(configErrorOf(fabio({ nameServerIndex: { uiPort: 9999 } }))).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: port 9999 is already used by fabio.prometheus.uiPort on the same host",
    );
  });

  it("rejects an empty tag prefix", () => {
    expect(configErrorOf(fabio({ prometheus: { tagPrefix: "" } }))).toMatch(
      /fabio\.prometheus\.tagPrefix: must be letters/,
    );
  });

  it("rejects a tag prefix with characters Fabio's properties would interpret", () => {
    expect(configErrorOf(fabio({ prometheus: { tagPrefix: "p-${x}" } }))).toMatch(
      /fabio\.prometheus\.tagPrefix: must be letters/,
    );
  });

  it.each([
    [
      { prometheus: { proxyPort: 8080 } },
      "fabio.prometheus.proxyPort",
      "port 8080 is already used by fabio.nameServerIndex.proxyPort",
    ],
    [
      { prometheus: { uiPort: 9998 } },
      "fabio.prometheus.uiPort",
      "port 9998 is already used by fabio.nameServerIndex.uiPort",
    ],
    [
      { nameServerIndex: { uiPort: 8080 } },
      "fabio.nameServerIndex.uiPort",
      "port 8080 is already used by fabio.nameServerIndex.proxyPort",
    ],
    [
      { prometheus: { uiPort: 8080 } },
      "fabio.prometheus.uiPort",
      "port 8080 is already used by fabio.nameServerIndex.proxyPort",
    ],
  ])("rejects a port used twice on the shared host (%o)", (overrides, key, detail) => {
    expect(configErrorOf(fabio(overrides))).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:${key}: ${detail} on the same host`,
    );
  });

  it.each([0, 65536, -1, 80.5])("rejects port %s outside 1-65535 or not whole", (value) => {
    expect(configErrorOf(fabio({ nameServerIndex: { proxyPort: value } }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:fabio\.nameServerIndex\.proxyPort: must be/,
    );
  });

  it("rejects a port given as text", () => {
    expect(configErrorOf(fabio({ nameServerIndex: { uiPort: "9998" } }))).toMatch(
      /fabio\.nameServerIndex\.uiPort: must be a port number/,
    );
  });

  it("rejects the same job name for both Fabios", () => {
    expect(configErrorOf(fabio({ nameServerIndex: { jobName: "fabio" }, prometheus: { jobName: "fabio" } }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:fabio.prometheus.jobName: "fabio" is also fabio.nameServerIndex.jobName; each Fabio needs its own job name',
    );
  });

  it.each(["Fabio", "fabio_index", "-fabio", "a".repeat(64), "fabio index"])(
    "rejects job name %j that Nomad or Consul would not accept as a service name",
    (jobName) => {
      expect(configErrorOf(fabio({ prometheus: { jobName } }))).toMatch(
        /fabio\.prometheus\.jobName: must be 1-63 lower-case/,
      );
    },
  );

  it.each([
    ["fabiolb/fabio:latest", "is tagged latest"],
    ["fabiolb/fabio", "has no tag"],
    ["registry.local:5000/fabiolb/fabio", "has no tag"],
    ["fabiolb/fabio:1.6.3; rm -rf /", "must be an image reference"],
  ])("rejects image %j", (image, detail) => {
    expect(configErrorOf(fabio({ image }))).toContain(`rocketmq-system-jobs:fabio.image: `);
    expect(configErrorOf(fabio({ image }))).toContain(detail);
  });

  it.each([
    "fabiolb/fabio:1.6.3",
    "registry.local:5000/fabiolb/fabio:1.6.3",
    `fabiolb/fabio@sha256:${"a".repeat(64)}`,
    `fabiolb/fabio:1.6.3@sha256:${"b".repeat(64)}`,
  ])("accepts pinned image %j", (image) => {
    expect(parseRaw(fabio({ image })).fabio.image).toBe(image);
  });

  it("rejects an empty datacenter list", () => {
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:nomad`]: { datacenters: [] } })).toBe(
      "Pulumi.prod.yaml: rocketmq-system-jobs:nomad.datacenters: must list at least one datacenter; it is an empty list",
    );
  });

  it("names the index of a bad datacenter", () => {
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:nomad`]: { datacenters: ["dc1", "dc 2"] } })).toMatch(
      /rocketmq-system-jobs:nomad\.datacenters\[1\]: must be letters/,
    );
  });

  it("rejects an unknown host selection", () => {
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:nameServerHosts`]: { by: "hostname", value: "ns1" } })).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:nameServerHosts\.by: /,
    );
  });

  it("accepts NameServer hosts selected by node metadata", () => {
    const cfg = parseRaw({
      ...minimalRaw(),
      [`${NS}:nameServerHosts`]: { by: "meta", key: "role", value: "nameserver" },
    });
    expect(cfg.nameServerHosts).toEqual({ by: "meta", key: "role", value: "nameserver" });
  });

  it("rejects a Consul address without a port", () => {
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:consul`]: { address: "127.0.0.1" } })).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:consul.address: must be host:port, e.g. 127.0.0.1:8500; it is "127.0.0.1"',
    );
  });

  it.each(["127.0.0.1:99999", "127.0.0.1:65536", "127.0.0.1:0", "consul.local:000"])(
    "rejects Consul address %j, whose port is outside 1-65535",
    (address) => {
      expect(configErrorOf({ ...minimalRaw(), [`${NS}:consul`]: { address } })).toBe(
        `Pulumi.prod.yaml: rocketmq-system-jobs:consul.address: must have a port between 1 and 65535; it is "${address}"`,
      );
      expect(
        configErrorOf({ ...minimalRaw(), [`${NS}:consul`]: { acl: { enabled: true, apiAddress: address } } }),
      ).toMatch(/rocketmq-system-jobs:consul\.acl\.apiAddress: must have a port between 1 and 65535/);
    },
  );

  it.each(["127.0.0.1:1", "consul.prod.internal:8501", "localhost:65535"])("accepts Consul address %j", (address) => {
    expect(parseRaw({ ...minimalRaw(), [`${NS}:consul`]: { address } }).consul.address).toBe(address);
  });
});

describe("node meta keys", () => {
  const NOT_HCL = ["1rack", "rack..x", "rack.1x", "-rack", "rack.", ".rack", "rack x"];
  const HCL = ["rack", "rack.zone-a", "_rack", "rocketmq_role", "a.b-1.c_2"];
  const byMeta = (key: string) => ({ by: "meta", key, value: "ns" });
  /** Whether HashiCorp's HCL parser (the one Nomad uses) reads `${meta.<key>}` in a string. */
  const hclReads = (key: string) =>
    parseHcl(`a = "\${meta.${key}}"\n`).then(
      () => true,
      () => false,
    );

  it.each(NOT_HCL)("rejects %j, which HCL cannot read in ${meta.<key>}, naming the key", async (key) => {
    expect(await hclReads(key)).toBe(false);
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:nameServerHosts`]: byMeta(key) })).toBe(
      `Pulumi.prod.yaml: rocketmq-system-jobs:nameServerHosts.key: must be dot-separated names, each starting with a letter or '_' followed by letters, digits, '_' or '-' (Nomad reads it as \${meta.<key>}); it is ${JSON.stringify(key)}`,
    );
    expect(configErrorOf({ ...minimalRaw(), [`${NS}:prometheus`]: { placement: byMeta(key) } })).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.placement\.key: must be dot-separated names/,
    );
  });

  it.each(NOT_HCL)("are refused again by the renderer when validation is bypassed (%j)", (key) => {
    expect(() => hostConstraint({ by: "meta", key, value: "ns" })).toThrow(/refusing to write node meta key/);
  });

  it.each(HCL)("accepts %j and renders a constraint HashiCorp's parser reads back", async (key) => {
    expect(await hclReads(key)).toBe(true);
    const cfg = parseRaw({
      ...minimalRaw(),
      [`${NS}:nameServerHosts`]: byMeta(key),
      [`${NS}:prometheus`]: { placement: byMeta(key) },
    });
    for (const rendered of renderJobs(modelOf(cfg, "test"))) {
      const { job } = await parseJobspec(rendered.hcl);
      expect(only(job.constraint)).toEqual({ attribute: `\${meta.${key}}`, value: "ns" });
    }
  });
});

describe("stack files", () => {
  const write = (text: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
    const file = path.join(dir, "Pulumi.broken.yaml");
    fs.writeFileSync(file, text);
    return file;
  };

  it("names the stack file when its YAML does not parse", () => {
    expect(() => loadStackFile(write("config: [unclosed"))).toThrow(/^Pulumi\.broken\.yaml: is not valid YAML/);
  });

  it("reports a YAML syntax error on one line ending in its position, not in a dangling colon", () => {
    const file = write("config:\n  rocketmq-system-jobs:clusterName: dev\n   bad: [\n");
    expect(() => loadStackFile(file)).toThrow(
      /^Pulumi\.broken\.yaml: is not valid YAML: Nested mappings are not allowed in compact mappings at line 2, column 37$/,
    );
  });

  it("reports a plain-text secret together with the other problems of the file", () => {
    const file = write(
      "config:\n  rocketmq-system-jobs:clusterName: Dev\n  rocketmq-system-jobs:consulAclToken: abc\n",
    );
    expect(() => loadStackFile(file)).toThrow(
      /^Pulumi\.broken\.yaml: rocketmq-system-jobs:consulAclToken: is stored in plain text; .*\nPulumi\.broken\.yaml: rocketmq-system-jobs:clusterName: must be 1-63 lower-case/,
    );
  });

  // Top-level scalars as the Pulumi CLI passes them: the text written in the file, "" for a null.
  const scalars: [string, string][] = [
    ["1e3", "1e3"],
    ["0x1f", "0x1f"],
    ["010", "010"],
    ["1.0", "1.0"],
    ["0o7", "0o7"],
    ["2024", "2024"],
    ["true", "true"],
    ["True", "True"],
    ["yes", "yes"],
    [".inf", ".inf"],
    ["a b", "a b"],
    ['"1e3"', "1e3"],
    ["'010'", "010"],
    ['"null"', "null"],
    ['""', ""],
    ["null", ""],
    ["Null", ""],
    ["~", ""],
    ["", ""],
  ];

  it.each(scalars)("encodes the top-level scalar %s as the engine passes it", (yamlValue, engine) => {
    const text = `config:\n  ${NS}:clusterName: ${yamlValue}\n  ${NS}:nomad:\n    region: "1e3"\n    datacenters: [dc1, 010]\n`;
    expect(encodeAsEngine(parseDocument(text))).toEqual({
      [`${NS}:clusterName`]: engine,
      [`${NS}:nomad`]: '{"region":"1e3","datacenters":["dc1",10]}',
    });
  });

  it("encodes every top-level scalar as the independent model of the engine does", () => {
    const text = `config:\n${scalars.map(([v], i) => `  ${NS}:k${i}: ${v}\n`).join("")}`;
    const model = readStackFileConfig(write(text));
    expect(encodeAsEngine(parseDocument(text))).toEqual(model);
    expect(Object.values(model)).toEqual(scalars.map(([, engine]) => engine));
  });

  it("rejects an empty or null cluster name, naming the key", () => {
    for (const value of ["", "~", "null"]) {
      expect(() => loadStackFile(write(`config:\n  ${NS}:clusterName: ${value}\n`))).toThrow(
        /^Pulumi\.broken\.yaml: rocketmq-system-jobs:clusterName: is empty/,
      );
    }
  });

  it("names the stack file and key for a bad value", () => {
    const file = write(`config:\n  ${NS}:clusterName: ok\n  ${NS}:fabio:\n    image: fabiolb/fabio:latest\n`);
    expect(() => loadStackFile(file)).toThrow(
      'Pulumi.broken.yaml: rocketmq-system-jobs:fabio.image: "fabiolb/fabio:latest" is tagged latest; pin a version or a digest',
    );
  });
});

describe("Prometheus config", () => {
  const prometheus = (overrides: Record<string, unknown>): RawConfig => ({
    ...minimalRaw(),
    [`${NS}:prometheus`]: overrides,
  });

  it.each(["0s", "0m0s", "ten seconds", "5", "-5s", ""])("rejects scrape interval %j", (scrapeInterval) => {
    expect(configErrorOf(prometheus({ scrapeInterval }))).toMatch(
      /^Pulumi\.prod\.yaml: rocketmq-system-jobs:prometheus\.scrapeInterval: must be/,
    );
  });

  it("rejects a retention size without a unit", () => {
    expect(configErrorOf(prometheus({ retentionSize: "10" }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.retentionSize: must be a size such as 512MB or 10GB; it is "10"',
    );
  });

  it("rejects a Prometheus job named like one of the Fabios", () => {
    expect(configErrorOf(prometheus({ jobName: "fabio-prometheus" }))).toBe(
      'Pulumi.prod.yaml: rocketmq-system-jobs:prometheus.jobName: "fabio-prometheus" is also fabio.prometheus.jobName; Nomad job IDs and Consul service names must differ',
    );
  });

  it("rejects a Prometheus image tagged latest", () => {
    expect(configErrorOf(prometheus({ image: "prom/prometheus:latest" }))).toContain(
      "rocketmq-system-jobs:prometheus.image: ",
    );
  });

  it("rejects an unknown storage kind", () => {
    expect(configErrorOf(prometheus({ storage: { kind: "nfs" } }))).toMatch(
      /rocketmq-system-jobs:prometheus\.storage\.kind: /,
    );
  });
});
