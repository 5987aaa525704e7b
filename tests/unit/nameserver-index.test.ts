import { describe, expect, it } from "vitest";
import { DEFAULT_SUBGROUP, nameServerIndexPatterns, nameServerIndexTag, nameServerIndexUrl } from "../../render";

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

  it("describes the lookup with placeholders for stack outputs", () => {
    expect(nameServerIndexPatterns("rmq-nsindex-", 8080)).toEqual({
      url: "http://<nameserver-host>:8080/rocketmq/<subgroup>",
      serviceTag: "rmq-nsindex-/rocketmq/<subgroup>",
    });
  });
});
