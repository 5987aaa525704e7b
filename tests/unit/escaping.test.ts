import { describe, expect, it } from "vitest";
import type { StackConfig } from "../../config";
import { escapeHclString, fabioProperties, hclHeredoc, hclString, hclStringList, renderFabioJob } from "../../render";
import { only, parseHcl, parseJobspec, type HclBody } from "../support/hcl";
import { HOSTILE } from "../support/hostile";
import { minimalRaw, parseRaw, modelOf } from "../support/stack";

describe("HCL string escaping", () => {
  it.each(HOSTILE)("round-trips %j through HashiCorp's parser as a string", async (value) => {
    const doc = await parseHcl(`a = ${hclString(value)}\nb = ${hclStringList([value, "x"])}\n`);
    expect(doc).toEqual({ a: value, b: [value, "x"] });
  });

  it.each(HOSTILE)("round-trips %j as a heredoc", async (value) => {
    const doc = await parseHcl(`a = ${hclHeredoc(value)}\nafter = 1\n`);
    expect(doc).toEqual({ a: value.endsWith("\n") ? value : `${value}\n`, after: 1 });
  });

  it("picks a heredoc marker that no line of the text can close early", async () => {
    const text = "EOT\nEOT1\n  EOT2  \nend";
    const rendered = hclHeredoc(text);
    expect(rendered.startsWith("<<EOT3\n")).toBe(true);
    expect(await parseHcl(`a = ${rendered}\n`)).toEqual({ a: `${text}\n` });
  });

  it("doubles template openers instead of dropping them", () => {
    expect(escapeHclString("${x}%{y}")).toBe("$${x}%%{y}");
  });
});

describe("jobspec injection safety", () => {
  const base = parseRaw(minimalRaw());
  const hostile = (value: string): StackConfig => ({
    ...base,
    nomad: { region: value, datacenters: [value, "dc1"] },
    nameServerHosts: { by: "nodeClass", nodeClass: value },
    fabio: { ...base.fabio, image: value },
  });

  it.each(HOSTILE)("keeps %j a value in every jobspec field it reaches", async (value) => {
    const { job, group, task } = await parseJobspec(
      renderFabioJob(modelOf(hostile(value), "test"), "nameServerIndex").hcl,
    );
    expect(job.region).toBe(value);
    expect(job.datacenters).toEqual([value, "dc1"]);
    expect(only(job.constraint)).toEqual({ attribute: "${node.class}", value });
    for (const service of group.service as HclBody[]) expect(service.tags).toEqual(["fabio", "cluster-test"]);
    expect(Object.keys(job.group as object)).toEqual(["fabio"]);
    expect(only(task.config).image).toBe(value);
    expect(Object.keys(job).sort()).toEqual([
      "constraint",
      "datacenters",
      "group",
      "priority",
      "region",
      "type",
      "update",
    ]);
  });

  // The job name and tag prefix also reach fabio.properties, which consul-template and Fabio's own
  // properties parser interpret (`{{`, `${`, `\\`, line breaks): there the renderer refuses them outright.
  const interpretable = HOSTILE.filter((value) => !/^[A-Za-z0-9._:/-]*$/.test(value));

  it.each(interpretable)("refuses to put %j into fabio.properties as a tag prefix", (value) => {
    const cfg = { ...base, fabio: { ...base.fabio, prometheus: { ...base.fabio.prometheus, tagPrefix: value } } };
    expect(() => fabioProperties(modelOf(cfg), "prometheus")).toThrow(/refusing to write registry\.consul\.tagprefix/);
  });

  it.each(interpretable)("refuses to put %j into fabio.properties as a cluster name", (value) => {
    expect(() => fabioProperties(modelOf({ ...base, clusterName: value }), "prometheus")).toThrow(
      /refusing to write registry\.consul\.tagprefix/,
    );
  });

  it.each(interpretable)("refuses to render a Fabio job named %j", (value) => {
    const cfg = { ...base, fabio: { ...base.fabio, prometheus: { ...base.fabio.prometheus, jobName: value } } };
    expect(() => renderFabioJob(modelOf(cfg, "test"), "prometheus")).toThrow(
      /refusing to write registry\.consul\.kvpath/,
    );
  });
});
