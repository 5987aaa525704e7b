import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as contract from "../../contract";
import * as render from "../../render";
import {
  DEFAULT_SUBGROUP,
  nameServerIndexMarkedSubgroup,
  nameServerIndexMarkerTag,
  nameServerIndexMemberTag,
  nameServerIndexPatterns,
  nameServerIndexSubgroup,
  nameServerIndexTag,
  nameServerIndexTags,
  nameServerIndexUrl,
} from "../../render";
import { PROJECT_DIR } from "../support/stack";

const dev = { clusterName: "dev", tagPrefix: "dev.rmq-nsindex-" };

describe("the NameServer-index tag contract", () => {
  it("tags a cluster's index service with the stack's whole Fabio prefix and RocketMQ's lookup path", () => {
    expect(nameServerIndexTag(dev, "nsaddr-cluster-a")).toBe("dev.rmq-nsindex-/rocketmq/nsaddr-cluster-a");
  });

  it("uses RocketMQ's default subgroup when none is given", () => {
    expect(nameServerIndexTag(dev)).toBe("dev.rmq-nsindex-/rocketmq/nsaddr");
    expect(DEFAULT_SUBGROUP).toBe("nsaddr");
  });

  it("rejects, in one line naming the stack output, a prefix copied from the stack file without the cluster part", () => {
    const attempt = () => nameServerIndexTag({ clusterName: "dev", tagPrefix: "rmq-nsindex-" }, "nsaddr-cluster-b");
    expect(attempt).toThrow(
      'nameServerIndexTag: tagPrefix "rmq-nsindex-" lacks the cluster part "dev.": pass the stack output nameServerIndexTagPrefix ("dev.rmq-nsindex-"), not the stack file\'s fabio.nameServerIndex.tagPrefix',
    );
    expect(() => nameServerIndexTag({ clusterName: "dev", tagPrefix: "prod.rmq-nsindex-" })).toThrow(
      /lacks the cluster part "dev\."/,
    );
    expect(() => nameServerIndexTag({ clusterName: "dev", tagPrefix: "dev." })).toThrow(/lacks the cluster part/);
  });

  it("refuses a bare prefix string where the stack belongs, as a JavaScript caller could pass it", () => {
    const untyped = nameServerIndexTag as unknown as (prefix: string, subgroup: string) => string;
    expect(() => untyped("dev.rmq-nsindex-", "nsaddr-a")).toThrow(
      /^nameServerIndexTag: the first argument must be \{ clusterName, tagPrefix \}/,
    );
  });

  it("gives a service every tag it needs: member tag, then route and marker tag per subgroup, each once", () => {
    expect(nameServerIndexTags(dev, ["nsaddr-a", "nsaddr-a-unit1", "nsaddr-a"])).toEqual([
      "rocketmq-nsindex:dev",
      "dev.rmq-nsindex-/rocketmq/nsaddr-a",
      "rocketmq-nsindex:dev:nsaddr-a",
      "dev.rmq-nsindex-/rocketmq/nsaddr-a-unit1",
      "rocketmq-nsindex:dev:nsaddr-a-unit1",
    ]);
    expect(nameServerIndexTags(dev)).toEqual([
      "rocketmq-nsindex:dev",
      "dev.rmq-nsindex-/rocketmq/nsaddr",
      "rocketmq-nsindex:dev:nsaddr",
    ]);
    expect(() => nameServerIndexTags(dev, [])).toThrow(/non-empty list/);
  });

  it("builds marker tags no Fabio prefix of any stack can start", () => {
    expect(nameServerIndexMarkerTag(dev, "nsaddr-a")).toBe("rocketmq-nsindex:dev:nsaddr-a");
    expect(nameServerIndexMemberTag(dev)).toBe("rocketmq-nsindex:dev");
    // A Fabio prefix is "<clusterName>.<...>"; a cluster name is a DNS label, so its "." would have to come
    // before the marker's first ":".
    expect(nameServerIndexMarkerTag(dev, "a.b").indexOf(":")).toBeLessThan(
      nameServerIndexMarkerTag(dev, "a.b").indexOf("."),
    );
  });

  it("builds the URL RocketMQ clients fetch from named fields", () => {
    expect(nameServerIndexUrl({ host: "ns.example.com", port: 8080, subgroup: "nsaddr-a" })).toBe(
      "http://ns.example.com:8080/rocketmq/nsaddr-a",
    );
    expect(nameServerIndexUrl({ host: "10.0.0.1", port: 8080 })).toBe("http://10.0.0.1:8080/rocketmq/nsaddr");
  });

  it("refuses positional URL arguments instead of building http://127.0.0.1:nsaddr-cluster-a/rocketmq/nsaddr", () => {
    const untyped = nameServerIndexUrl as unknown as (...args: unknown[]) => string;
    expect(() => untyped("127.0.0.1", "nsaddr-cluster-a")).toThrow(
      /^nameServerIndexUrl takes \{ host, port, subgroup \}/,
    );
    expect(() => untyped({ host: "127.0.0.1", port: "nsaddr-cluster-a" })).toThrow(
      /port "nsaddr-cluster-a" is not a port/,
    );
    expect(() => untyped({ host: "a b", port: 8080 })).toThrow(/host "a b" is not a host name/);
  });

  it("rejects subgroups that are not one URL path segment", () => {
    for (const subgroup of ["", "a/b", "../x", "a b", "-a", "a?b"]) {
      expect(() => nameServerIndexTag(dev, subgroup), subgroup).toThrow(/invalid RocketMQ subgroup/);
    }
  });

  it("reads the subgroup back from a route tag or a marker tag of this stack only", () => {
    expect(nameServerIndexSubgroup(dev, "dev.rmq-nsindex-/rocketmq/nsaddr-cluster-a")).toBe("nsaddr-cluster-a");
    expect(nameServerIndexMarkedSubgroup(dev, "rocketmq-nsindex:dev:nsaddr-cluster-a")).toBe("nsaddr-cluster-a");
    for (const tag of ["rmq-nsindex-/rocketmq/x", "prod.rmq-nsindex-/rocketmq/x", "dev.rmq-nsindex-/rocketmq/", "x"]) {
      expect(nameServerIndexSubgroup(dev, tag), tag).toBeUndefined();
    }
    expect(nameServerIndexMarkedSubgroup(dev, "rocketmq-nsindex:prod:x")).toBeUndefined();
  });

  it("describes the lookup with placeholders for stack outputs", () => {
    expect(nameServerIndexPatterns(dev, 8080)).toEqual({
      url: "http://<nameserver-host>:8080/rocketmq/<subgroup>",
      serviceTag: "dev.rmq-nsindex-/rocketmq/<subgroup>",
    });
  });
});

describe("the contract entry point for other repositories", () => {
  const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
    main: string;
    exports: Record<string, string>;
  };

  /** Resolves `specifier` the way Node does from a repository that depends on this package. */
  const resolveFromConsumer = (specifier: string): string => {
    const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "contract-consumer-"));
    fs.mkdirSync(path.join(consumer, "node_modules"));
    fs.symlinkSync(PROJECT_DIR, path.join(consumer, "node_modules", "rocketmq-system-jobs"), "dir");
    try {
      return createRequire(path.join(consumer, "index.js")).resolve(specifier); // Node resolves to the real path
    } finally {
      fs.rmSync(consumer, { recursive: true, force: true });
    }
  };

  it("resolves rocketmq-system-jobs/contract to contract.ts, which exports the tag, path and URL builders", async () => {
    const resolved = resolveFromConsumer("rocketmq-system-jobs/contract");
    expect(fs.realpathSync(resolved)).toBe(fs.realpathSync(path.join(PROJECT_DIR, "contract.ts")));
    const loaded = (await import(resolved)) as Record<string, unknown>;
    expect({ ...loaded }).toEqual({ ...contract });
    expect(Object.keys(loaded).sort()).toEqual([
      "DEFAULT_SUBGROUP",
      "nameServerIndexMarkerTag",
      "nameServerIndexMemberTag",
      "nameServerIndexPath",
      "nameServerIndexTag",
      "nameServerIndexTags",
      "nameServerIndexUrl",
    ]);
    for (const [name, value] of Object.entries(loaded)) expect(value).toBe((render as Record<string, unknown>)[name]);
  });

  it("needs no dependency: contract.ts imports only the NameServer-index module, which imports nothing", () => {
    const specifiers = (file: string) =>
      [
        ...fs
          .readFileSync(path.join(PROJECT_DIR, file), "utf8")
          .matchAll(/\b(?:from|import)\s+"([^"]+)"|\b(?:require|import)\("([^"]+)"\)/g),
      ].map((m) => m[1] ?? m[2]);
    expect(specifiers("contract.ts")).toEqual(["./render/nameserver-index"]);
    expect(specifiers("render/nameserver-index.ts")).toEqual([]);
  });

  it("still loads the Pulumi program from index.ts, by main for Node and by exports['.'] for Pulumi", () => {
    expect(packageJson.exports["."]).toBe(`./${packageJson.main}`);
    expect(createRequire(path.join(PROJECT_DIR, "x.js")).resolve(PROJECT_DIR)).toBe(path.join(PROJECT_DIR, "index.ts"));
    expect(fs.realpathSync(resolveFromConsumer("rocketmq-system-jobs"))).toBe(
      fs.realpathSync(path.join(PROJECT_DIR, "index.ts")),
    );
  });
});
