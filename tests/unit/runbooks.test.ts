// One runbook per alert at docs/runbooks/<AlertName>.md, and no runbook without an alert.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { alertRules } from "../../render";
import { loadModel, minimalRaw, modelOf, parseRaw, PROJECT_DIR, STACKS } from "../support/stack";

const RUNBOOK_DIR = path.join(PROJECT_DIR, "docs", "runbooks");
const SECTIONS = ["## What it means for RocketMQ clients", "## First commands", "## How to resolve"];

const alertNames = [
  ...new Set(
    [modelOf(parseRaw(minimalRaw())), ...STACKS.map((stack) => loadModel(stack))].flatMap((model) =>
      alertRules(model).groups.flatMap((g) => g.rules.map((r) => r.alert)),
    ),
  ),
].sort();
const runbooks = fs
  .readdirSync(RUNBOOK_DIR)
  .filter((file) => file.endsWith(".md") && file !== "README.md")
  .map((file) => file.replace(/\.md$/, ""))
  .sort();

describe("the runbooks", () => {
  it("exist for every alert of every stack", () => {
    expect(alertNames.filter((alert) => !runbooks.includes(alert))).toEqual([]);
  });

  it("each belong to an alert", () => {
    expect(runbooks.filter((runbook) => !alertNames.includes(runbook))).toEqual([]);
  });

  it.each(runbooks)(
    "%s says what it means for clients, what to run first (nomad or consul, and curl on the lookup URL) and how to resolve it",
    (name) => {
      const text = fs.readFileSync(path.join(RUNBOOK_DIR, `${name}.md`), "utf8");
      expect(text.split("\n")[0]).toBe(`# ${name}`);
      const positions = SECTIONS.map((heading) => text.indexOf(`\n${heading}\n`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      const firstCommands = text.slice(positions[1], positions[2]);
      expect(firstCommands).toMatch(/^(nomad|consul) /m);
      expect(firstCommands).toMatch(/^curl .*http:\/\/<host>:(8080\/rocketmq\/<subgroup>|9090\/)/m);
    },
  );
});
