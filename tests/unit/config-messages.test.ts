// Every config error is a sentence a user acts on: the file, the key, what was given and what is allowed.
import { describe, expect, it } from "vitest";
import type { RawConfig } from "../../config";
import { configErrorOf, minimalRaw } from "../support/stack";

const NS = "rocketmq-system-jobs";

const messageOf = (raw: RawConfig): string => configErrorOf(raw, "Pulumi.custom.yaml");

const withKey = (key: string, value: unknown): RawConfig => ({ ...minimalRaw(), [`${NS}:${key}`]: value });

// Zod's own wording, which names types and comparison operators instead of the user's setting.
const SCHEMA_WORDING =
  /Invalid (input|option|discriminator)|Too (small|big)|expected \w+, received|received undefined|>=|<=/;

describe("config error messages", () => {
  it("say that a required key is missing instead of 'expected string, received undefined'", () => {
    expect(messageOf({})).toBe("Pulumi.custom.yaml: rocketmq-system-jobs:clusterName: is not set; it must be text");
  });

  it("say which value was given and which values are allowed for a choice", () => {
    expect(messageOf(withKey("consul", { acl: { scheme: "ftp" } }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:consul.acl.scheme: must be "http" or "https"; it is "ftp"',
    );
    expect(messageOf(withKey("nameServerHosts", { by: "hostname", value: "ns1" }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:nameServerHosts.by: must be "nodeClass" or "meta"; it is "hostname"',
    );
  });

  it("name the kind of value expected and the one given", () => {
    expect(messageOf(withKey("consul", { acl: { enabled: "yes" } }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:consul.acl.enabled: must be true or false; it is the text "yes"',
    );
    expect(messageOf(withKey("nomad", { datacenters: "dc1" }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:nomad.datacenters: must be a list; it is the text "dc1"',
    );
    expect(messageOf(withKey("prometheus", { jobName: null }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.jobName: must be text; it is empty",
    );
  });

  it("say a duration needs its unit when a bare number is given, instead of asking for text", () => {
    expect(messageOf(withKey("prometheus", { scrapeInterval: 5 }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.scrapeInterval: must be a Prometheus duration such as 15s, 5m or 15d; it is the number 5",
    );
    expect(messageOf(withKey("images", { consulServer: { prometheusRetentionTime: 10 } }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:images.consulServer.prometheusRetentionTime: must be a duration such as "10s" or "1m30s"; it is the number 10',
    );
  });

  it("show how to quote a name YAML read as a number", () => {
    expect(messageOf(withKey("prometheus", { jobName: 5 }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.jobName: must be text (in quotes: "5"); it is the number 5',
    );
  });

  it("give a huge number by its digits and a tiny one in full, never in exponent form", () => {
    expect(messageOf(withKey("fabio", { nameServerIndex: { uiPort: 1e23 } }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: must be a port number from 1 to 65535; it is a 24-digit number",
    );
    expect(messageOf(withKey("fabio", { nameServerIndex: { uiPort: 1e-7 } }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: must be a port number from 1 to 65535; it is the number 0.0000001",
    );
    expect(messageOf(withKey("fabio", { nameServerIndex: { uiPort: -1.5e-25 } }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: must be a port number from 1 to 65535; it is the number -0.00000000000000000000000015",
    );
  });

  it("list every problem of a stack file in one run, one line each", () => {
    const raw: RawConfig = {
      ...minimalRaw(),
      [`${NS}:prometheus`]: { scrapeInterval: 5, jobName: "Prometheus" },
      [`${NS}:fabio`]: { nameServerIndex: { uiPort: 0 } },
      "consul:token": "x",
    };
    expect(messageOf(raw).split("\n")).toEqual([
      'Pulumi.custom.yaml: consul:token: "consul:" keys have no effect: the program never uses the default Consul provider; its ACL resources use one configured by rocketmq-system-jobs:consul.acl (address, scheme, datacenter) and the secret rocketmq-system-jobs:consulAclToken',
      "Pulumi.custom.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: must be a port number from 1 to 65535; it is 0",
      "Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.jobName: must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit; it is \"Prometheus\"",
      "Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.scrapeInterval: must be a Prometheus duration such as 15s, 5m or 15d; it is the number 5",
    ]);
  });

  it("list every cross-field problem once each key is valid on its own", () => {
    const raw = withKey("fabio", {
      nameServerIndex: { uiPort: 9999 },
      prometheus: { jobName: "fabio-nameserver-index" },
    });
    expect(messageOf(raw).split("\n")).toEqual([
      "Pulumi.custom.yaml: rocketmq-system-jobs:fabio.nameServerIndex.uiPort: port 9999 is already used by fabio.prometheus.uiPort on the same host",
      'Pulumi.custom.yaml: rocketmq-system-jobs:fabio.prometheus.jobName: "fabio-nameserver-index" is also fabio.nameServerIndex.jobName; each Fabio needs its own job name',
    ]);
  });

  it("list at most 20 problems and count the rest", () => {
    const datacenters = Array.from({ length: 25 }, (_, i) => `-dc${i}`);
    const lines = messageOf(withKey("nomad", { datacenters })).split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:nomad.datacenters[0]: must be letters, digits, '.', '_' or '-', starting with a letter or digit; it is \"-dc0\"",
    );
    expect(lines[19]).toMatch(/^Pulumi\.custom\.yaml: rocketmq-system-jobs:nomad\.datacenters\[19\]: must be letters/);
    expect(lines[20]).toBe("Pulumi.custom.yaml: and 5 more problems not listed here");
  });

  it("list the settings a mapping knows when a key is unknown, for a union the chosen variant's", () => {
    expect(messageOf(withKey("prometheus", { storage: { kind: "hostVolume", volume: "tsdb", sizeMb: 10 } }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.storage.sizeMb: is not a known setting (check the spelling; the settings here are kind, volume)",
    );
    expect(messageOf(withKey("fabioo", {}))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:fabioo: is not a known setting (check the spelling; the settings here are clusterName, nomad, nameServerHosts, consul, fabio, prometheus, images, consulAclToken)",
    );
  });

  // One bad value per kind of rule the schema has: types, bounds, choices, unions, formats and refinements.
  const BAD: [string, RawConfig, string][] = [
    ["missing union field", withKey("nameServerHosts", { by: "nodeClass" }), "is not set"],
    ["number as text", withKey("fabio", { nameServerIndex: { uiPort: "9998" } }), '"9998"'],
    ["fraction", withKey("fabio", { nameServerIndex: { resources: { cpu: 1.5 } } }), "1.5"],
    ["below a minimum", withKey("fabio", { nameServerIndex: { resources: { memory: 8 } } }), "8"],
    ["below a minimum", withKey("prometheus", { storage: { kind: "ephemeralDisk", sizeMb: 5 } }), "5"],
    ["below a minimum", withKey("images", { consulServer: { bootstrapExpect: 0 } }), "0"],
    ["mapping expected", withKey("consul", "127.0.0.1:8500"), '"127.0.0.1:8500"'],
    ["list expected", withKey("images", { consul: { retryJoin: "10.0.0.1" } }), '"10.0.0.1"'],
    ["bool expected", withKey("images", { consulServer: { ui: 1 } }), "1"],
    ["unknown discriminator", withKey("prometheus", { storage: { kind: "nfs" } }), '"nfs"'],
    ["bad format", withKey("prometheus", { scrapeInterval: "ten seconds" }), '"ten seconds"'],
    ["bad port", withKey("consul", { address: "127.0.0.1:99999" }), '"127.0.0.1:99999"'],
  ];

  it.each(BAD)("read as a sentence naming file, key and the given value (%s)", (_kind, raw, given) => {
    const message = messageOf(raw);
    expect(message).toMatch(/^Pulumi\.custom\.yaml: rocketmq-system-jobs:[A-Za-z.[\]0-9]+: (must|is) /);
    expect(message).not.toMatch(SCHEMA_WORDING);
    expect(message).toContain(given);
  });
});
