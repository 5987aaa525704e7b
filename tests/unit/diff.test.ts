import { describe, expect, it } from "vitest";
import type { RawConfig } from "../../config";
import {
  compareRenders,
  consequencesOf,
  formatMarkdown,
  formatText,
  type DiffReport,
  type RenderTree,
} from "../../diff";
import { lineDiff } from "../../diff/line-diff";
import { minimalRaw, parseRaw, modelOf } from "../support/stack";
import { MANIFEST_PATH, renderArtifacts } from "../../render";

const BASE = { ref: "origin/main", commit: "0123456789abcdef0123456789abcdef01234567" };

const renders = new Map<string, RenderTree>();

/** The minimal stack with `overrides` merged in, rendered as the render CLI would write it (once per overrides). */
function rendered(overrides: RawConfig = {}): { tree: RenderTree; raw: RawConfig } {
  const raw = { ...minimalRaw(), ...overrides };
  const key = JSON.stringify(overrides);
  if (!renders.has(key)) {
    renders.set(key, new Map(renderArtifacts(modelOf(parseRaw(raw), "test")).map((a) => [a.path, a.content])));
  }
  return { tree: renders.get(key)!, raw };
}

const reports = new WeakMap<RenderTree, WeakMap<RenderTree, Promise<DiffReport>>>();

/** The diff report of two trees; several tests look at the same pair of renders, which is compared once. */
async function reportOf(before: RenderTree, after: RenderTree): Promise<DiffReport> {
  const byAfter = reports.get(before) ?? new WeakMap<RenderTree, Promise<DiffReport>>();
  reports.set(before, byAfter);
  if (!byAfter.has(after)) byAfter.set(after, compare(before, after));
  return structuredClone(await byAfter.get(after)!);
}

async function compare(before: RenderTree, after: RenderTree): Promise<DiffReport> {
  const comparison = await compareRenders(before, after);
  const consequences = consequencesOf(comparison);
  const alertDelivery =
    "alerts go to: nowhere (delivery: none; a test stack); they show only on Prometheus' /alerts page";
  return { stack: "test", base: BASE, artifacts: comparison.artifacts, consequences, alertDelivery };
}

const fabio = (value: object): RawConfig => ({ "rocketmq-system-jobs:fabio": value });
const prometheus = (value: object): RawConfig => ({ "rocketmq-system-jobs:prometheus": value });

describe("the diff of two renders", () => {
  it("says where the stack's alerts go, changed or not", async () => {
    const same = await reportOf(rendered().tree, rendered().tree);
    expect(formatText(same, { colour: false }).split("\n")).toContain(same.alertDelivery);
    const report = await reportOf(rendered().tree, rendered(fabio({ prometheus: { proxyPort: 9091 } })).tree);
    expect(formatText(report, { colour: false }).split("\n")[1]).toBe(report.alertDelivery);
  });

  it("shows a change inside args as the one changed element, not the whole list twice", async () => {
    const report = await reportOf(rendered().tree, rendered(prometheus({ retentionTime: "30d" })).tree);
    const lines = formatText(report, { colour: false }).split("\n");
    expect(lines).toContain(
      '  ~ job "prometheus" › group "prometheus" › task "prometheus" › config › args[3]: "--storage.tsdb.retention.time=15d" → "--storage.tsdb.retention.time=30d"',
    );
    expect(lines.filter((l) => l.includes("--config.file"))).toEqual([]);
  });

  it("compares each Fabio's fabio.properties artifact property by property, from the render's manifest", async () => {
    const report = await reportOf(rendered().tree, rendered(fabio({ prometheus: { proxyPort: 9091 } })).tree);
    const properties = report.artifacts.find((a) => a.path === "jobs/fabio-prometheus.fabio.properties");
    expect(properties).toEqual({
      path: "jobs/fabio-prometheus.fabio.properties",
      status: "changed",
      changes: [
        {
          kind: "changed",
          path: ["proxy.addr"],
          before: ":9090,:9996;proto=prometheus",
          after: ":9091,:9996;proto=prometheus",
        },
      ],
    });
  });

  it("names a moved static port by its path, with both values, in a few lines", async () => {
    const changed = rendered(fabio({ prometheus: { proxyPort: 9091 } }));
    const report = await reportOf(rendered().tree, changed.tree);
    expect(report.artifacts.map((a) => a.path)).toEqual([
      "jobs/fabio-prometheus.fabio.properties",
      "jobs/fabio-prometheus.nomad.hcl",
    ]);
    const text = formatText(report, { colour: false });
    expect(text).toContain('~ job "fabio-prometheus" › group "fabio" › network › port "proxy" › static: 9090 → 9091');
    // Heading, where alerts go, then the changes.
    expect(text.split("\n").length).toBeLessThanOrEqual(16);
    expect(report.consequences.map((c) => c.message)).toContain(
      'static port "proxy" of job "fabio-prometheus" moves its listener 9090 → 9091 on every NameServer host: clients and firewalls must follow',
    );
  });

  it("flags a NameServer-index tag prefix change as re-routing every lookup, and shows the property's line", async () => {
    const changed = rendered(fabio({ nameServerIndex: { tagPrefix: "rmq-ns-" } }));
    const report = await reportOf(rendered().tree, changed.tree);
    expect(report.artifacts.map((a) => a.path)).toEqual([
      "jobs/fabio-nameserver-index.fabio.properties",
      "jobs/fabio-nameserver-index.nomad.hcl",
      // The lookup probes discover subgroups by the prefix too: the Prometheus job's targets template follows.
      "jobs/prometheus.nomad.hcl",
    ]);
    const flags = report.consequences.filter((c) => c.kind === "tagPrefix").map((c) => c.message);
    expect(flags).toEqual([
      'tag prefix of job "fabio-nameserver-index" changes "test.rmq-nsindex-" → "test.rmq-ns-": every NameServer lookup is re-routed; only services tagged "test.rmq-ns-/rocketmq/<subgroup>" answer (re-tag each cluster\'s NameServer-index service with nameServerIndexTags and the new nameServerIndexStack)',
    ]);
    const lines = formatText(report, { colour: false })
      .split("\n")
      .map((l) => l.trim());
    expect(lines).toContain("- registry.consul.tagprefix = test.rmq-nsindex-");
    expect(lines).toContain("+ registry.consul.tagprefix = test.rmq-ns-");
  });

  it("shows a template's data as a line diff, the scrape config per field, and says the task restarts", async () => {
    const changed = rendered(prometheus({ scrapeInterval: "30s" }));
    const report = await reportOf(rendered().tree, changed.tree);
    const config = report.artifacts.find((a) => a.path === "prometheus/prometheus.yml");
    expect(config).toMatchObject({
      status: "changed",
      changes: [{ kind: "changed", path: ["global", "scrape_interval"], before: "15s", after: "30s" }],
    });
    const job = report.artifacts.find((a) => a.path === "jobs/prometheus.nomad.hcl");
    expect(job?.status === "changed" && job.changes.map((c) => c.path.join(" › "))).toEqual([
      'job "prometheus" › group "prometheus" › task "prometheus" › template "secrets/prometheus.yml" › data',
    ]);
    const lines = formatText(report, { colour: false })
      .split("\n")
      .map((l) => l.trim());
    expect(lines).toContain("-   scrape_interval: 15s");
    expect(lines).toContain("+   scrape_interval: 30s");
    expect(report.consequences).toEqual([
      {
        job: "prometheus",
        kind: "restart",
        message:
          'task "prometheus" of job "prometheus" restarts: Nomad replaces the allocation because its template "secrets/prometheus.yml" changed (change_mode "signal" applies only when consul-template re-renders at run time)',
      },
    ]);
  });

  it("lists a renamed job as one job removed and one added", async () => {
    const report = await reportOf(rendered().tree, rendered(prometheus({ jobName: "metrics" })).tree);
    const jobs = report.artifacts.filter((a) => a.path.startsWith("jobs/"));
    expect(jobs).toEqual([
      { path: "jobs/metrics.nomad.hcl", status: "added" },
      { path: "jobs/prometheus.nomad.hcl", status: "removed" },
    ]);
    expect(formatText(report, { colour: false })).toContain("jobs/prometheus.nomad.hcl (removed)");
    expect(report.consequences).toContainEqual({
      job: "prometheus",
      kind: "stop",
      message: 'job "prometheus" is removed: Nomad stops all its allocations',
    });
  });

  it("compares rules per alert: an added alert with its fields, a changed expression by name", async () => {
    const rules = (alerts: string) =>
      new Map([["prometheus/x.rules.yml", `groups:\n  - name: g\n    rules:\n${alerts}`]]);
    const a = "      - alert: A\n        expr: up == 0\n        for: 1m\n";
    const report = await reportOf(
      rules(a),
      rules(
        a.replace("up == 0", "up < 1") +
          "      - alert: B\n        expr: absent(up)\n        for: 2m\n        labels:\n          severity: warning\n",
      ),
    );
    expect(report.artifacts).toEqual([
      {
        path: "prometheus/x.rules.yml",
        status: "changed",
        changes: [
          { kind: "changed", path: ['groups "g"', 'alert "A"', "expr"], before: "up == 0", after: "up < 1" },
          {
            kind: "added",
            path: ['groups "g"', 'alert "B"'],
            value: { alert: "B", expr: "absent(up)", for: "2m", labels: { severity: "warning" } },
          },
        ],
      },
    ]);
    expect(formatText(report, { colour: false }).split("\n").slice(-7)).toEqual([
      "prometheus/x.rules.yml: 2 changes",
      '  ~ groups "g" › alert "A" › expr: "up == 0" → "up < 1"',
      '  + groups "g" › alert "B" (added)',
      '      + alert: "B"',
      '      + expr: "absent(up)"',
      '      + for: "2m"',
      '      + labels › severity: "warning"',
    ]);
  });

  it("aligns a list without names, so one inserted element is one addition", async () => {
    const relabel = (...targets: string[]) =>
      new Map([
        ["prometheus/prometheus.yml", `relabel_configs:\n${targets.map((t) => `  - target_label: ${t}\n`).join("")}`],
      ]);
    const report = await reportOf(relabel("a", "b", "c"), relabel("a", "new", "b", "see"));
    expect(report.artifacts).toEqual([
      {
        path: "prometheus/prometheus.yml",
        status: "changed",
        changes: [
          { kind: "added", path: ["relabel_configs[1]"], value: { target_label: "new" } },
          { kind: "changed", path: ["relabel_configs[3]", "target_label"], before: "c", after: "see" },
        ],
      },
    ]);
  });

  it("compares an ACL policy per rule and an agent file per block", async () => {
    const policy = (p: string) =>
      `service_prefix "" {\n  policy = "read"\n}\n\nkey_prefix "fabio/a/" {\n  policy = "${p}"\n}\n`;
    const agent = (t: string) => `datacenter = "dc1"\n\ntelemetry {\n  prometheus_retention_time = "${t}"\n}\n`;
    const before = new Map([
      ["consul-acl/p.hcl", policy("read")],
      ["packer/consul-server.hcl", agent("10s")],
    ]);
    const after = new Map([
      ["consul-acl/p.hcl", policy("write")],
      ["packer/consul-server.hcl", agent("30s")],
    ]);
    const report = await reportOf(before, after);
    expect(report.artifacts.flatMap((a) => (a.status === "changed" ? a.changes : []))).toEqual([
      { kind: "changed", path: ['key_prefix "fabio/a/"', "policy"], before: "read", after: "write" },
      { kind: "changed", path: ["telemetry", "prometheus_retention_time"], before: "10s", after: "30s" },
    ]);
  });

  it("says so when only comments differ, since the parsed structure is the same", async () => {
    const report = await reportOf(
      new Map([["packer/a.hcl", '# one\nx = "1"\n']]),
      new Map([["packer/a.hcl", '# two\nx = "1"\n']]),
    );
    expect(report.artifacts).toEqual([
      { path: "packer/a.hcl", status: "changed", changes: [], note: "comments or layout only" },
    ]);
  });

  it("shows everything as added against an empty base, with the base's note first", async () => {
    const { tree } = rendered();
    const report = await reportOf(new Map(), tree);
    expect(report.artifacts.every((a) => a.status === "added")).toBe(true);
    // Every artifact; the manifest describes them and is none itself.
    expect(report.artifacts).toHaveLength([...tree.keys()].filter((p) => p !== MANIFEST_PATH).length);
    const text = formatText({ ...report, base: { ...BASE, note: "it has no Pulumi.test.yaml" } }, { colour: false });
    expect(text.split("\n")[0]).toBe(
      "! base origin/main (0123456): it has no Pulumi.test.yaml; everything is shown as added",
    );
  });

  it("names a base given as a full commit hash by its short hash alone", async () => {
    const { tree } = rendered();
    const report = await reportOf(tree, new Map(tree));
    expect(formatText({ ...report, base: { ...BASE, ref: BASE.commit } }, { colour: false }).split("\n")[0]).toBe(
      'No changes: stack "test" renders the same at 0123456 and in the working tree.',
    );
  });

  it("is one line, and where alerts go, when nothing differs", async () => {
    const { tree } = rendered();
    const report = await reportOf(tree, new Map(tree));
    expect(formatText(report, { colour: false })).toBe(
      'No changes: stack "test" renders the same at origin/main (0123456) and in the working tree.\n' +
        "alerts go to: nowhere (delivery: none; a test stack); they show only on Prometheus' /alerts page",
    );
  });

  it("does not depend on the order the files were read in", async () => {
    const before = rendered().tree;
    const after = rendered(fabio({ prometheus: { proxyPort: 9091 }, nameServerIndex: { uiPort: 9000 } })).tree;
    const reversed = (t: RenderTree) => new Map([...t.entries()].reverse());
    const one = await reportOf(before, after);
    const two = await reportOf(reversed(before), reversed(after));
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.artifacts.map((a) => a.path)).toEqual([
      "jobs/fabio-nameserver-index.fabio.properties",
      "jobs/fabio-nameserver-index.nomad.hcl",
      "jobs/fabio-prometheus.fabio.properties",
      "jobs/fabio-prometheus.nomad.hcl",
    ]);
  });

  it("colours a terminal's lines only when asked", async () => {
    const report = await reportOf(rendered().tree, rendered(fabio({ prometheus: { proxyPort: 9091 } })).tree);
    expect(formatText(report, { colour: true })).toContain("\u001b[33m");
    expect(formatText(report, { colour: false })).not.toContain("\u001b[");
  });
});

describe("the markdown comment", () => {
  /** A rule file with `n` alerts; `suffix` changes every expression. */
  const manyAlerts = (n: number, suffix: string) =>
    new Map([
      [
        "prometheus/x.rules.yml",
        "groups:\n  - name: g\n    rules:\n" +
          Array.from({ length: n }, (_, i) => `      - alert: A${i}\n        expr: up{i="${i}"} == 0${suffix}\n`).join(
            "",
          ),
      ],
    ]);

  it("puts each changed artifact in a collapsible block and the consequences above them", async () => {
    const changed = rendered(fabio({ prometheus: { proxyPort: 9091 } }));
    const md = formatMarkdown(await reportOf(rendered().tree, changed.tree), { rerun: "npm run diff" });
    expect(md.split("\n")[0]).toBe("<!-- rocketmq-system-jobs diff: stack test -->");
    expect(md).toContain("<details><summary><code>jobs/fabio-prometheus.nomad.hcl: 2 changes</code></summary>");
    expect(md.indexOf(":warning: static port")).toBeLessThan(md.indexOf("<details>"));
    // GitHub colours a line of a diff block only when its sign comes first.
    expect(md).toMatch(/\n- +proxy\.addr = :9090\b/);
    expect(md).toMatch(/\n\+ +proxy\.addr = :9091\b/);
    expect(md).not.toContain("Truncated");
  });

  it("stays under GitHub's comment limit for a large change, and says what it left out", async () => {
    const report = await reportOf(manyAlerts(1000, ""), manyAlerts(1000, " or vector(0)"));
    const full = formatText(report, { colour: false });
    expect(full.length).toBeGreaterThan(65_536);
    const md = formatMarkdown(report, { rerun: "npm run diff -- --stack dev --base main" });
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toMatch(/Truncated.* more lines .*Run `npm run diff -- --stack dev --base main` for the whole diff/);
    const small = formatMarkdown(report, { rerun: "x", limit: 3000 });
    expect(small.length).toBeLessThanOrEqual(3000);
    expect(small).toContain("</details>");
  });

  it("fences code longer than any backtick run in template data", async () => {
    const report = await reportOf(new Map([["notes.txt", "a\n"]]), new Map([["notes.txt", "a\n```\n"]]));
    expect(formatMarkdown(report, { rerun: "x" })).toContain("````diff\n");
  });
});

describe("the line diff", () => {
  it("gives unified hunks with two lines of context", () => {
    expect(lineDiff("1\n2\n3\n4\n5\n6\n7\n", "1\n2\n3\nfour\n5\n6\n7\n")).toEqual([
      {
        oldStart: 2,
        oldLines: 5,
        newStart: 2,
        newLines: 5,
        lines: [
          { op: " ", text: "2" },
          { op: " ", text: "3" },
          { op: "-", text: "4" },
          { op: "+", text: "four" },
          { op: " ", text: "5" },
          { op: " ", text: "6" },
        ],
      },
    ]);
  });
});
