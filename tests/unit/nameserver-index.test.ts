import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as contract from "../../contract";
import * as render from "../../render";
import {
  DEFAULT_SUBGROUP,
  nameServerIndexPatterns,
  nameServerIndexSubgroup,
  nameServerIndexTag,
  nameServerIndexUrl,
} from "../../render";
import { PROJECT_DIR } from "../support/stack";

describe("the NameServer-index tag contract", () => {
  it("tags a cluster's index service with the Fabio prefix and RocketMQ's lookup path", () => {
    expect(nameServerIndexTag("rmq-nsindex-", "nsaddr-cluster-a")).toBe("rmq-nsindex-/rocketmq/nsaddr-cluster-a");
  });

  it("uses RocketMQ's default subgroup nsaddr when none is given", () => {
    expect(DEFAULT_SUBGROUP).toBe("nsaddr");
    expect(nameServerIndexTag("rmq-nsindex-")).toBe("rmq-nsindex-/rocketmq/nsaddr");
  });

  it("builds the URL RocketMQ clients fetch", () => {
    expect(nameServerIndexUrl("ns.example.com", 8080, "nsaddr-a")).toBe("http://ns.example.com:8080/rocketmq/nsaddr-a");
  });

  it.each(["", "a/b", "x y", "../x", "*", "sub?x=1", "${x}"])(
    "rejects subgroup %j that is not one path segment",
    (subgroup) => {
      expect(() => nameServerIndexTag("rmq-nsindex-", subgroup)).toThrow(/invalid RocketMQ subgroup/);
    },
  );

  it.each(["", "pre fix", 'q"'])("rejects tag prefix %j", (prefix) => {
    expect(() => nameServerIndexTag(prefix)).toThrow(/invalid Fabio tag prefix/);
  });

  it("gives a client with a unit name, which asks for <subgroup>-<unit>?nofix=1, a tag of its own", () => {
    expect(nameServerIndexTag("rmq-nsindex-", `${DEFAULT_SUBGROUP}-unit1`)).toBe("rmq-nsindex-/rocketmq/nsaddr-unit1");
  });

  it("reads the subgroup back from a tag of the same prefix, and nothing from any other tag", () => {
    expect(nameServerIndexSubgroup("rmq-nsindex-", "rmq-nsindex-/rocketmq/nsaddr-cluster-a")).toBe("nsaddr-cluster-a");
    for (const tag of [
      "rmq-prometheus-/rocketmq/nsaddr",
      "rmq-nsindex-/",
      "rmq-nsindex-/rocketmq/",
      "rmq-nsindex-/rocketmq/a/b",
      "rmq-nsindex-host.example/rocketmq/nsaddr",
      "x-rmq-nsindex-/rocketmq/nsaddr",
    ]) {
      expect(nameServerIndexSubgroup("rmq-nsindex-", tag), tag).toBeUndefined();
    }
  });

  it("describes the lookup with placeholders for stack outputs", () => {
    expect(nameServerIndexPatterns("rmq-nsindex-", 8080)).toEqual({
      url: "http://<nameserver-host>:8080/rocketmq/<subgroup>",
      serviceTag: "rmq-nsindex-/rocketmq/<subgroup>",
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
      "nameServerIndexPath",
      "nameServerIndexTag",
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
