// Nomad's jobspec schema without a Nomad: tools/nomad-jobspec-check decodes every rendered jobspec strictly
// into the types of github.com/hashicorp/nomad/api, and names the file, line and argument of what Nomad
// would refuse. The expected messages are HCL's and Nomad's own wording.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { StackConfig } from "../../config";
import { renderJobs, type RenderedJob } from "../../render";
import { HOSTILE } from "../support/hostile";
import { requireTools, runTool, tempDir } from "../support/processes";
import { loadModel, minimalRaw, modelOf, parseRaw, STACKS } from "../support/stack";

const ready = requireTools("nomad-jobspec-check");

function writeJobspecs(jobs: RenderedJob[]): string[] {
  const dir = tempDir("jobspec-check");
  return jobs.map((job) => {
    const file = path.join(dir, `${job.name}.nomad.hcl`);
    fs.writeFileSync(file, job.hcl);
    return file;
  });
}

/** The Fabio jobspec of the dev stack with `lines` added inside the block opened by `opening`. */
function fabioJobspecWith(opening: RegExp, lines: string[]): { file: string; line: number } {
  const hcl = renderJobs(loadModel("dev"))
    .find((job) => job.kind === "fabio")!
    .hcl.split("\n");
  const at = hcl.findIndex((line) => opening.test(line));
  expect(at, `no line matching ${opening}`).toBeGreaterThanOrEqual(0);
  hcl.splice(at + 1, 0, ...lines);
  const file = path.join(tempDir("jobspec-check"), "fabio-mutated.nomad.hcl");
  fs.writeFileSync(file, hcl.join("\n"));
  return { file, line: at + 2 };
}

/** The Fabio jobspec of the dev stack with one argument's value replaced. */
function fabioJobspecReplacing(argument: RegExp, replacement: string): { file: string; line: number } {
  const hcl = renderJobs(loadModel("dev")).find((job) => job.kind === "fabio")!.hcl;
  const match = argument.exec(hcl);
  expect(match, `no argument matching ${argument}`).not.toBeNull();
  const file = path.join(tempDir("jobspec-check"), "fabio-mutated.nomad.hcl");
  fs.writeFileSync(file, hcl.replace(argument, replacement));
  return { file, line: hcl.slice(0, match!.index).split("\n").length };
}

function check(files: string[]): { code: number; errors: string[] } {
  const { code, output } = runTool("nomad-jobspec-check", files);
  return { code, errors: output.split("\n").filter((line) => /^\S+:\d+:\d+: /.test(line)) };
}

describe.runIf(ready)("Nomad's jobspec schema, checked without a Nomad (nomad-jobspec-check)", () => {
  it.each(STACKS)("accepts every jobspec the %s stack renders", (stack) => {
    const jobs = renderJobs(loadModel(stack));
    const files = writeJobspecs(jobs);
    expect(files).toHaveLength(jobs.length);
    expect(runTool("nomad-jobspec-check", files)).toEqual({
      code: 0,
      output: files.map((file) => `${file}: decodes into Nomad's jobspec types\n`).join(""),
    });
  });

  const base = parseRaw(minimalRaw());
  const hostile = (value: string): StackConfig => ({
    ...base,
    nomad: { ...base.nomad, region: value, datacenters: [value, "dc1"] },
    nameServerHosts: { by: "nodeClass", nodeClass: value },
    fabio: { ...base.fabio, image: value },
  });

  it("accepts every jobspec rendered with hostile values in the fields they reach", () => {
    const renders = HOSTILE.map((value) => renderJobs(modelOf(hostile(value))));
    const files = renders.flatMap(writeJobspecs);
    expect(files).toHaveLength(renders.reduce((count, jobs) => count + jobs.length, 0));
    expect(files.length).toBeGreaterThanOrEqual(HOSTILE.length * 3);
    const { code, errors } = check(files);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  });

  it("names an argument Nomad does not know, added to the Fabio task (kill_signall)", () => {
    const { file, line } = fabioJobspecWith(/^\s*task "fabio" \{$/, ['      kill_signall = "SIGINT"']);
    expect(check([file])).toEqual({
      code: 1,
      errors: [
        `${file}:${line}:7: Unsupported argument; An argument named "kill_signall" is not expected here. Did you mean "kill_signal"?`,
      ],
    });
  });

  it("names a block Nomad does not know, added to the Fabio group", () => {
    const { file, line } = fabioJobspecWith(/^\s*group "fabio" \{$/, [
      "    reschedul {",
      "      attempts = 1",
      "    }",
    ]);
    expect(check([file])).toEqual({
      code: 1,
      errors: [
        `${file}:${line}:5: Unsupported block type; Blocks of type "reschedul" are not expected here. Did you mean "reschedule"?`,
      ],
    });
  });

  it("names an argument only a Nomad later than 1.4 knows (node_pool, Nomad 1.6), as Nomad 1.4 does", () => {
    const { file, line } = fabioJobspecWith(/^job "[^"]+" \{$/, ['  node_pool = "default"']);
    expect(check([file])).toEqual({
      code: 1,
      errors: [`${file}:${line}:3: Unsupported argument; An argument named "node_pool" is not expected here.`],
    });
  });

  it("names a string where Nomad wants a number (restart attempts)", () => {
    const { file, line } = fabioJobspecReplacing(/attempts(\s*)= \d+/, 'attempts$1= "three"');
    const { code, errors } = check([file]);
    expect(code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^${file}:${line}:\\d+: Unsuitable value type; Unsuitable value: a number is required \\(argument "attempts"\\)$`,
      ),
    );
  });

  it("names a duration Nomad cannot parse (restart interval)", () => {
    const { file, line } = fabioJobspecReplacing(/interval(\s*)= "\d+m"/, 'interval$1= "5 minutes"');
    const { code, errors } = check([file]);
    expect(code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^${file}:${line}:\\d+: Unsuitable duration value; Argument "interval": time: unknown unit`),
    );
  });

  it("accepts the run-time variables of a device constraint (${device.attr.…})", () => {
    const { file } = fabioJobspecWith(/^\s*resources \{$/, [
      '        device "nvidia/gpu" {',
      "          constraint {",
      '            attribute = "${device.attr.memory}"',
      '            operator  = ">="',
      '            value     = "2 GiB"',
      "          }",
      "        }",
    ]);
    expect(check([file])).toEqual({ code: 0, errors: [] });
  });

  it("names a run-time variable Nomad does not interpolate", () => {
    const { file, line } = fabioJobspecReplacing(/"\$\{node\.class\}"/, '"${nodes.class}"');
    const { code, errors } = check([file]);
    expect(code).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^${file}:${line}:\\d+: Unknown variable; There is no variable named "nodes"`)),
    ]);
  });
});
