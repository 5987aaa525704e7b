import { describe, expect, it } from "vitest";
import { exitCode, progressLine, resultJson, resultTable, type CheckResult } from "../../verify";

const results: CheckResult[] = [
  { check: "consul api", host: "http://consul:8500", result: "pass", detail: "4 Fabio service instance(s)" },
  { check: "route /rocketmq/nsaddr", host: "ns-1 (10.0.0.1)", result: "pass", detail: "10.0.0.5:9876;10.0.0.6:9876" },
  { check: "fabio services", host: "ns-2 (10.0.0.2)", result: "fail", detail: "no fabio-prometheus service" },
  {
    check: "nomad agents scraped",
    host: "prometheus via ns-1 (10.0.0.1)",
    result: "skip",
    detail: "NOMAD_ADDR is not set",
  },
];

describe("verify's output", () => {
  it("prints a progress line per check with its result, check and host", () => {
    expect(progressLine(3, results[2]!)).toBe("[  3] FAIL fabio services @ ns-2 (10.0.0.2)");
    expect(progressLine(12, results[0]!)).toBe("[ 12] ok   consul api @ http://consul:8500");
  });

  it("prints a table with a header, failures first, aligned columns and a summary", () => {
    expect(resultTable(results)).toBe(
      [
        "CHECK                   HOST                            RESULT  DETAIL",
        "fabio services          ns-2 (10.0.0.2)                 fail    no fabio-prometheus service",
        "consul api              http://consul:8500              pass    4 Fabio service instance(s)",
        "route /rocketmq/nsaddr  ns-1 (10.0.0.1)                 pass    10.0.0.5:9876;10.0.0.6:9876",
        "nomad agents scraped    prometheus via ns-1 (10.0.0.1)  skip    NOMAD_ADDR is not set",
        "",
        "FAILED: 4 checks, 2 passed, 1 failed, 1 skipped",
      ].join("\n"),
    );
  });

  it("says PASSED when nothing failed, skipped checks included", () => {
    const ok = results.filter((r) => r.result !== "fail");
    expect(resultTable(ok).split("\n").at(-1)).toBe("PASSED: 3 checks, 2 passed, 0 failed, 1 skipped");
  });

  it("prints JSON with the stack, the verdict and every check as given", () => {
    expect(JSON.parse(resultJson("prod", results))).toEqual({
      stack: "prod",
      passed: false,
      checks: [
        { check: "consul api", host: "http://consul:8500", result: "pass", detail: "4 Fabio service instance(s)" },
        {
          check: "route /rocketmq/nsaddr",
          host: "ns-1 (10.0.0.1)",
          result: "pass",
          detail: "10.0.0.5:9876;10.0.0.6:9876",
        },
        { check: "fabio services", host: "ns-2 (10.0.0.2)", result: "fail", detail: "no fabio-prometheus service" },
        {
          check: "nomad agents scraped",
          host: "prometheus via ns-1 (10.0.0.1)",
          result: "skip",
          detail: "NOMAD_ADDR is not set",
        },
      ],
    });
    expect((JSON.parse(resultJson("dev", [results[0]!])) as { passed: boolean }).passed).toBe(true);
  });

  it("exits 1 when any check failed and 0 otherwise", () => {
    expect(exitCode(results)).toBe(1);
    expect(exitCode(results.filter((r) => r.result !== "fail"))).toBe(0);
  });
});
