import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_AGENT_VERSIONS } from "../../config";
import { PROJECT_DIR } from "../support/stack";
import { USAGE as VERIFY_USAGE } from "../../scripts/verify-cli";
import * as verify from "../../verify";

const read = (file: string): string => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

/** Between a heading and the next one of the same level, the heading included. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = heading.split(" ")[0]!;
  const next = text.indexOf(`\n${level} `, start + heading.length);
  return text.slice(start, next === -1 ? undefined : next);
}

describe("the README", () => {
  const readme = read("README.md");

  it("is at most 200 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
  });

  it("gives the two commands: deploy a stack, and the test command .ci/run calls", () => {
    const commands = section(readme, "## The two commands");
    expect(commands).toMatch(/^npm run render -- --stack dev --out out\/dev && pulumi up --stack dev$/m);
    expect(commands).toMatch(/^\.\/scripts\/test\.sh$/m);
    expect(read(".ci/run")).toMatch(/^exec \.\/scripts\/test\.sh$/m);
  });

  it("links every page under docs/, and every page it links exists", () => {
    const linked = [...readme.matchAll(/\]\((docs\/[^)#]+)\)/g)].map((m) => m[1]!);
    const pages = fs.readdirSync(path.join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md"));
    expect(pages.map((page) => `docs/${page}`).filter((page) => !linked.includes(page))).toEqual([]);
    for (const page of linked) expect(fs.existsSync(path.join(PROJECT_DIR, page)), page).toBe(true);
  });
});

describe("the docs", () => {
  const pages = ["README.md", ...fs.readdirSync(path.join(PROJECT_DIR, "docs")).map((f) => `docs/${f}`)].filter(
    (file) => file.endsWith(".md"),
  );

  it.each(pages)("%s links only to files that exist", (page) => {
    const links = [...read(page).matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    for (const link of links) {
      expect(fs.existsSync(path.resolve(path.dirname(path.join(PROJECT_DIR, page)), link)), link).toBe(true);
    }
  });

  it.each(pages)("%s keeps table rows readable (at most 200 characters)", (page) => {
    const rows = read(page)
      .split("\n")
      .filter((line) => line.startsWith("|"));
    expect(rows.filter((row) => row.length > 200)).toEqual([]);
  });
});

describe("the verify section of docs/cli.md", () => {
  const section = (() => {
    const cli = read("docs/cli.md");
    return cli.slice(cli.indexOf("## Verify a deployed stack"), cli.indexOf("## generate:packer"));
  })();
  /** The checks the table documents: every backticked name in its first column. */
  const documented = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

  it("documents every check verify can report, with placeholders for the variable part", () => {
    const placeholder = (name: (value: string) => string, value: string) => name("X0X").replace("X0X", value);
    const checks = [
      verify.CONSUL_API_CHECK,
      verify.NOMAD_API_CHECK,
      verify.HOSTS_CHECK,
      verify.FABIO_SERVICES_CHECK,
      verify.FABIO_ALLOCATIONS_CHECK,
      placeholder(verify.indexServiceCheckName, "<name>"),
      verify.INDEX_SERVICES_CHECK,
      placeholder(verify.misTaggedCheckName, "<service>"),
      placeholder(verify.routeCheckName, "<subgroup>"),
      placeholder(verify.noLeakCheckName, "<subgroup>"),
      verify.PROMETHEUS_READY_CHECK,
      verify.PROMETHEUS_API_CHECK,
      placeholder(verify.scrapeJobCheckName, "<job>"),
      verify.CONSUL_AGENTS_CHECK,
      verify.NOMAD_AGENTS_CHECK,
      verify.RULES_CHECK,
      verify.ALERTS_CHECK,
    ];
    expect(documented.sort()).toEqual([...checks].sort());
  });

  it("shows every flag of --help and the environment variables it reads", () => {
    const flags = [...VERIFY_USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(flags).toEqual(["--stack", "--stack-file", "--json", "--timeout", "--request-timeout"]);
    for (const text of [...flags, "--help", "CONSUL_HTTP_ADDR", "CONSUL_HTTP_TOKEN", "NOMAD_ADDR", "NOMAD_TOKEN"]) {
      expect(section, text).toContain(text);
    }
  });

  it("shows sample output: progress lines and the table with its header and summary", () => {
    expect(section).toMatch(/^\[ {2}1\] ok {3}consul api @ /m);
    expect(section).toMatch(/^CHECK +HOST +RESULT +DETAIL$/m);
    expect(section).toMatch(/^(PASSED|FAILED): \d+ checks, \d+ passed, \d+ failed, \d+ skipped$/m);
  });
});

describe("the agent versions in the README and docs/images.md", () => {
  it("state the Consul and Nomad versions the images pin", () => {
    const readme = read("README.md");
    const images = read("docs/images.md");
    expect(readme).toContain(`**Consul ${DEFAULT_AGENT_VERSIONS.consul}**`);
    expect(readme).toContain(`**Nomad ${DEFAULT_AGENT_VERSIONS.nomad}**`);
    expect(images).toContain(`consul_version = "${DEFAULT_AGENT_VERSIONS.consul}"`);
    expect(images).toContain(`nomad_version = "${DEFAULT_AGENT_VERSIONS.nomad}"`);
  });
});

describe("the README's quick start", () => {
  it("logs in to a Pulumi backend before it creates the stack", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Quick start"));
    const lines = /```sh\n([\s\S]*?)```/.exec(section)![1]!.split("\n");
    const login = lines.findIndex((line) => line.startsWith("pulumi login"));
    expect(login).toBeGreaterThan(-1);
    expect(login).toBeLessThan(lines.findIndex((line) => line.startsWith("pulumi stack init")));
  });
});
