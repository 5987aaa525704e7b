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
      'Pulumi.custom.yaml: rocketmq-system-jobs:consul.acl.enabled: must be true or false; it is "yes"',
    );
    expect(messageOf(withKey("nomad", { datacenters: "dc1" }))).toBe(
      'Pulumi.custom.yaml: rocketmq-system-jobs:nomad.datacenters: must be a list; it is "dc1"',
    );
    expect(messageOf(withKey("prometheus", { jobName: null }))).toBe(
      "Pulumi.custom.yaml: rocketmq-system-jobs:prometheus.jobName: must be text; it is empty",
    );
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
