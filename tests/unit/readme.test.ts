import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_AGENT_VERSIONS, SECRET_KEYS, stackConfigSchema } from "../../config";
import { schemaKeyPaths } from "../support/schema";
import { PROJECT_DIR } from "../support/stack";
import { USAGE as VERIFY_USAGE } from "../../scripts/verify-cli";
import * as verify from "../../verify";

/** A row of the config reference: the keys its first cell documents. */
interface Row {
  line: string;
  cell: string;
  keys: string[];
}

const KEY = String.raw`[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*`;
/** `a.b.c`, optionally followed by siblings: `a.b.c` / `.d` documents a.b.c and a.b.d. */
const KEY_CELL = new RegExp(String.raw`^\`(${KEY})\`((?: / \`\.[A-Za-z][A-Za-z0-9]*\`)*)$`);
/** `a.b.*` with type "as above": every key below a.b, mirroring the sibling object the row above documents. */
const MIRROR_CELL = new RegExp(String.raw`^\`(${KEY})\.\*\`$`);

/**
 * The keys each row documents, exactly: a row is one key, one key and its siblings, or an "as above" row
 * that repeats, for a sibling object, the keys documented for the object in the rows above it. Any other
 * shape is refused, so a key can only count as documented by a row that names it.
 */
function parseRows(reference: string): Row[] {
  const rows: Row[] = [];
  for (const line of reference.split("\n").filter((l) => l.startsWith("| `"))) {
    const [cell = "", type = ""] = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const plain = KEY_CELL.exec(cell);
    const mirror = MIRROR_CELL.exec(cell);
    if (plain) {
      const [, first = "", siblings = ""] = plain;
      const parent = first.slice(0, first.lastIndexOf(".") + 1);
      const rest = [...siblings.matchAll(/`\.([A-Za-z0-9]+)`/g)].map((m) => `${parent}${m[1]}`);
      rows.push({ line, cell, keys: [first, ...rest] });
    } else if (mirror && type === "as above") {
      const prefix = mirror[1]!;
      const parent = prefix.slice(0, prefix.lastIndexOf(".") + 1);
      const above = rows.at(-1)?.keys[0] ?? "";
      const sibling = parent + above.slice(parent.length).split(".")[0];
      if (!above.startsWith(parent) || sibling === prefix) throw new Error(`row ${cell}: nothing above to mirror`);
      const mirrored = rows.flatMap((r) => r.keys).filter((key) => key.startsWith(`${sibling}.`));
      rows.push({ line, cell, keys: mirrored.map((key) => prefix + key.slice(sibling.length)) });
    } else {
      throw new Error(
        `config reference row ${JSON.stringify(cell)} is not \`key\`, \`key\` / \`.sibling\` or \`prefix.*\` "as above"`,
      );
    }
  }
  return rows;
}

/** Schema keys no row documents. */
function undocumented(rows: Row[], schemaKeys: string[]): string[] {
  const documented = new Set(rows.flatMap((row) => row.keys));
  return schemaKeys.filter((key) => !documented.has(key));
}

describe("the README's config reference", () => {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const reference = readme.slice(readme.indexOf("## Config reference"), readme.indexOf("## Stack outputs"));
  const rows = parseRows(reference);
  const schemaKeys = schemaKeyPaths(stackConfigSchema);
  const secret = (row: Row) => row.keys.every((key) => (SECRET_KEYS as readonly string[]).includes(key));

  it("lists every key the schema accepts in a row of its own", () => {
    expect(schemaKeys.length).toBeGreaterThan(30);
    expect(undocumented(rows, schemaKeys)).toEqual([]);
  });

  it("lists the secret keys kept out of the schema", () => {
    for (const key of SECRET_KEYS) expect(rows.flatMap((row) => row.keys)).toContain(key);
  });

  it("lists no key the schema does not accept", () => {
    const accepted = new Set<string>([...schemaKeys, ...SECRET_KEYS]);
    expect(rows.flatMap((row) => row.keys).filter((key) => !accepted.has(key))).toEqual([]);
  });

  it("misses a key as soon as the row naming it is deleted", () => {
    for (const [i, row] of rows.entries()) {
      if (secret(row)) continue;
      const without = parseRows(reference.replace(`${row.line}\n`, ""));
      expect(without).toHaveLength(rows.length - 1);
      expect(undocumented(without, schemaKeys), `row ${i}: ${row.cell}`).toEqual(expect.arrayContaining(row.keys));
    }
  });

  it("counts a nested key as documented only by a row that names it", () => {
    const reference = ["| `prometheus.resources.cpu` / `.memory` | MHz / MiB |", "| `fabio.image` | image ref |"].join(
      "\n",
    );
    const keys = ["prometheus.resources.cpu", "prometheus.resources.memory", "fabio.nameServerIndex.resources.memory"];
    expect(undocumented(parseRows(reference), keys)).toEqual(["fabio.nameServerIndex.resources.memory"]);
  });

  it("refuses a row it cannot read instead of guessing what it documents", () => {
    expect(() => parseRows("| `fabio.*` | see the Fabio section |")).toThrow(/is not `key`/);
    expect(() => parseRows("| `a.b`, `c.d` | string |")).toThrow(/is not `key`/);
  });
});

describe("the README's verify section", () => {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Verify a deployed stack"), readme.indexOf("## Machine images"));
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

describe("the README's agent versions", () => {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

  it("state the Consul and Nomad versions the images pin", () => {
    expect(readme).toContain(`**Consul ${DEFAULT_AGENT_VERSIONS.consul}**`);
    expect(readme).toContain(`**Nomad ${DEFAULT_AGENT_VERSIONS.nomad}**`);
    expect(readme).toContain(`consul_version = "${DEFAULT_AGENT_VERSIONS.consul}"`);
    expect(readme).toContain(`nomad_version = "${DEFAULT_AGENT_VERSIONS.nomad}"`);
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
