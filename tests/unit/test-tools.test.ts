// The binaries the integration tiers run are the releases the jobs deploy: scripts/install-test-tools.sh
// builds the module versions pinned in tools/*/go.mod, and these must name the images' tags.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { prometheusYaml } from "../../render";
import { loadStack, minimalRaw, modelOf, parseRaw, PROJECT_DIR, STACKS } from "../support/stack";

/** The version tools/<dir>/go.mod requires of a module. */
function pinned(dir: string, module: string): string {
  const goMod = fs.readFileSync(path.join(PROJECT_DIR, "tools", dir, "go.mod"), "utf8");
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/\./g, "\\.")} (v\\S+)`, "m").exec(goMod);
  if (match === null) throw new Error(`tools/${dir}/go.mod does not require ${module}`);
  return match[1]!;
}

const images = () => [
  ["the schema default", parseRaw(minimalRaw())] as const,
  ...STACKS.map((stack) => [`Pulumi.${stack}.yaml`, loadStack(stack)] as const),
];

describe("the test tools", () => {
  it("build Fabio at the version every fabio.image deploys", () => {
    const version = pinned("fabio", "github.com/fabiolb/fabio");
    expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    for (const [where, cfg] of images()) expect(cfg.fabio.image, where).toBe(`fabiolb/fabio:${version.slice(1)}`);
  });

  it("build Prometheus at the release every prometheus.image deploys (release 2.x.y is module v0.x.y)", () => {
    const version = pinned("prometheus", "github.com/prometheus/prometheus");
    expect(version).toMatch(/^v0\.\d+\.\d+$/);
    for (const [where, cfg] of images()) {
      expect(cfg.prometheus.image, where).toBe(`prom/prometheus:v2.${version.slice("v0.".length)}`);
    }
  });

  it("build blackbox_exporter at the version every prometheus.lookupProbes.image deploys", () => {
    const version = pinned("blackbox_exporter", "github.com/prometheus/blackbox_exporter");
    expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    for (const [where, cfg] of images()) {
      expect(cfg.prometheus.lookupProbes.image, where).toBe(`prom/blackbox-exporter:${version}`);
    }
  });

  it("build consul-template at the release Nomad 1.4's template stanza embeds", () => {
    expect(pinned("consul-template", "github.com/hashicorp/consul-template")).toBe("v0.29.5");
  });

  it("build Alertmanager at the release every deployed Alertmanager runs (prometheus.alerting.image)", () => {
    const version = pinned("alertmanager", "github.com/prometheus/alertmanager");
    expect(version).toMatch(/^v0\.\d+\.\d+$/);
    const deployed = parseRaw({
      ...minimalRaw(),
      "rocketmq-system-jobs:prometheus": {
        alerting: {
          delivery: "deployed",
          route: { receiver: "r" },
          receivers: [{ name: "r", webhooks: [{ urlSecret: "u" }] }],
        },
      },
      "rocketmq-system-jobs:u": "set",
    });
    const stacks = [
      ["the schema default", deployed] as const,
      ...STACKS.map((stack) => [`Pulumi.${stack}.yaml`, loadStack(stack)] as const),
    ];
    const images = stacks.flatMap(([where, cfg]) =>
      cfg.prometheus.alerting.delivery === "deployed" ? [[where, cfg.prometheus.alerting.image] as const] : [],
    );
    expect(images.map(([where]) => where)).toContain("Pulumi.prod.yaml");
    for (const [where, image] of images) expect(image, where).toBe(`prom/alertmanager:${version}`);
  });

  it("declare both commands of the Prometheus module as tools of their module", () => {
    const goMod = fs.readFileSync(path.join(PROJECT_DIR, "tools", "prometheus", "go.mod"), "utf8");
    expect(goMod).toMatch(/^\s+github\.com\/prometheus\/prometheus\/cmd\/prometheus$/m);
    expect(goMod).toMatch(/^\s+github\.com\/prometheus\/prometheus\/cmd\/promtool$/m);
  });

  it("build into Prometheus the service discoveries the rendered prometheus.yml uses, and no others", () => {
    const script = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "install-test-tools.sh"), "utf8");
    const built = /^prometheus_discoveries=\(([^)]*)\)$/m.exec(script)?.[1]?.split(/\s+/).filter(Boolean);
    // Prometheus always builds in file and http discovery (plugins/minimum.go), and static targets need none.
    const alwaysIn = new Set(["file", "http", "static"]);
    const used = new Set<string>();
    for (const stack of STACKS) {
      for (const [, kind] of prometheusYaml(modelOf(loadStack(stack), stack)).matchAll(
        /^\s*-?\s*([a-z]+)_sd_configs:/gm,
      )) {
        if (!alwaysIn.has(kind!)) used.add(kind!);
      }
    }
    expect(used.size).toBeGreaterThan(0);
    expect(built).toEqual([...used].sort());
  });

  it("check jobspecs against Nomad's api module and HashiCorp's HCL, never Nomad's root module", () => {
    const goMod = fs.readFileSync(path.join(PROJECT_DIR, "tools", "nomad-jobspec-check", "go.mod"), "utf8");
    expect(pinned("nomad-jobspec-check", "github.com/hashicorp/nomad/api")).toMatch(/^v0\.0\.0-\d{14}-[0-9a-f]{12}$/);
    expect(pinned("nomad-jobspec-check", "github.com/hashicorp/hcl/v2")).toMatch(/^v2\.\d+\.\d+$/);
    // The root module is not open source from Nomad 1.7 on.
    expect(goMod).not.toMatch(/^\s*(?:require\s+)?github\.com\/hashicorp\/nomad\s/m);
  });
});
