import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/stack";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  "runs-on": string;
  needs?: string | string[];
  environment?: string;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const WORKFLOW_DIR = path.join(PROJECT_DIR, ".github", "workflows");
const workflows = Object.fromEntries(
  fs
    .readdirSync(WORKFLOW_DIR)
    .map((f) => [f, parseYaml(fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8")) as Workflow]),
);
const action = parseYaml(
  fs.readFileSync(path.join(PROJECT_DIR, ".github", "actions", "test-tools", "action.yml"), "utf8"),
) as { runs: { steps: Step[] } };
const scripts = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

const allSteps: [string, Step][] = [
  ...Object.entries(workflows).flatMap(([file, wf]) =>
    Object.values(wf.jobs).flatMap((job) => job.steps.map((step): [string, Step] => [file, step])),
  ),
  ...action.runs.steps.map((step): [string, Step] => ["actions/test-tools", step]),
];
const runLines: [string, string][] = allSteps.flatMap(([file, step]) =>
  (step.run ?? "").split("\n").map((line): [string, string] => [file, line.trim()]),
);

/** Stack names a pulumi/actions step deploys, with matrix references expanded. */
function pulumiStacks(job: Job): string[] {
  return job.steps
    .filter((s) => s.uses?.startsWith("pulumi/actions@"))
    .flatMap((s) => {
      const name = String(s.with?.["stack-name"]);
      const matrixKey = /^\$\{\{ matrix\.(\w+) \}\}$/.exec(name)?.[1];
      return matrixKey ? (job.strategy?.matrix?.[matrixKey] as string[]) : [name];
    });
}

describe("the GitHub workflows", () => {
  it("parse, and there is one for pull requests and one for deploys", () => {
    expect(Object.keys(workflows).sort()).toEqual(["deploy.yml", "pull-request.yml"]);
    expect(Object.keys(workflows["pull-request.yml"]!.on)).toEqual(["pull_request"]);
    expect(workflows["deploy.yml"]!.on).toEqual({ push: { branches: ["main"] } });
  });

  it("call only npm scripts that exist in package.json", () => {
    const calls = runLines.flatMap(([file, line]) =>
      [...line.matchAll(/\bnpm run(?:-script)?(?: --?[\w-]+)* ([\w:-]+)/g)].map((m) => [file, m[1]!] as const),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const [file, script] of calls) expect(scripts, `${file} runs npm run ${script}`).toHaveProperty(script);
  });

  it("call only project scripts that exist", () => {
    const calls = runLines.flatMap(([, line]) =>
      [...line.matchAll(/(?:^|\s)\.?\/?(scripts\/[\w.-]+)/g)].map((m) => m[1]!),
    );
    expect(calls).toContain("scripts/test.sh");
    for (const script of calls) expect(fs.existsSync(path.join(PROJECT_DIR, script)), script).toBe(true);
  });

  it("use only local actions that exist", () => {
    const local = allSteps.map(([, s]) => s.uses).filter((u): u is string => u?.startsWith("./") ?? false);
    expect(local.length).toBeGreaterThan(0);
    for (const uses of local) expect(fs.existsSync(path.join(PROJECT_DIR, uses, "action.yml")), uses).toBe(true);
  });

  it("run the README's test command before any preview or deploy", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    expect(readme).toContain("./scripts/test.sh");
    for (const wf of Object.values(workflows)) {
      expect(wf.jobs.test!.steps.some((s) => s.run === "./scripts/test.sh")).toBe(true);
    }
  });

  it("preview every stack on pull requests, with the diff posted as a comment, after the tests", () => {
    const preview = workflows["pull-request.yml"]!.jobs.preview!;
    expect(preview.needs).toBe("test");
    expect(pulumiStacks(preview)).toEqual(["dev", "prod"]);
    const step = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    expect(step.with).toMatchObject({ command: "preview", diff: true, "comment-on-pr": true });
  });

  it("comment the rendered diff of every previewed stack against the pull request's base", () => {
    const pr = workflows["pull-request.yml"]!.jobs;
    const diff = pr.diff!;
    expect(diff.strategy?.matrix?.stack).toEqual(pulumiStacks(pr.preview!));
    const checkout = diff.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toMatchObject({ "fetch-depth": 0 });
    const run = diff.steps.find((s) => s.run?.includes("npm run --silent diff"));
    expect(run?.run).toBe('npm run --silent diff -- --stack "$STACK" --base "$BASE_SHA" --markdown > diff.md');
    expect(run?.env).toEqual({
      STACK: "${{ matrix.stack }}",
      BASE_SHA: "${{ github.event.pull_request.base.sha }}",
    });
    const post = diff.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(String(post?.with?.script)).toContain('readFileSync("diff.md"');
    expect(String(post?.with?.script)).toContain("updateComment");
  });

  it("deploy dev, then prod behind the production environment's approval", () => {
    const { jobs } = workflows["deploy.yml"]!;
    expect(jobs["up-dev"]).toMatchObject({ needs: "test", environment: "dev" });
    expect(jobs["up-prod"]).toMatchObject({ needs: "up-dev", environment: "production" });
    expect(pulumiStacks(jobs["up-dev"]!)).toEqual(["dev"]);
    expect(pulumiStacks(jobs["up-prod"]!)).toEqual(["prod"]);
  });

  it("verify each stack from the outside right after its pulumi up, failing the deploy when it fails", () => {
    const { jobs } = workflows["deploy.yml"]!;
    for (const [job, stack] of [
      ["up-dev", "dev"],
      ["up-prod", "prod"],
    ] as const) {
      const steps = jobs[job]!.steps;
      const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up");
      const verify = steps.findIndex((s) => s.run?.includes("npm run verify"));
      expect(verify, job).toBe(up + 1);
      const run = steps[verify]!.run!;
      expect(run).toContain(`npm run verify -- --stack ${stack} && exit 0`);
      // The step's last word is a failure: only a passing verify leaves it early with 0.
      expect(run.trim().split("\n").at(-1)).toBe("exit 1");
      expect(Object.keys(steps[verify]!.env ?? {}).sort()).toEqual([
        "CONSUL_HTTP_ADDR",
        "CONSUL_HTTP_TOKEN",
        "NOMAD_ADDR",
        "NOMAD_TOKEN",
      ]);
    }
  });

  it("run previews and deploys on the runner the repository names, one that can reach Nomad", () => {
    const deployJobs = [
      workflows["pull-request.yml"]!.jobs.preview!,
      ...["up-dev", "up-prod"].map((j) => workflows["deploy.yml"]!.jobs[j]!),
    ];
    for (const job of deployJobs) expect(job["runs-on"]).toBe("${{ vars.DEPLOY_RUNNER || 'ubuntu-latest' }}");
  });

  it("deploy only stacks that have a stack file", () => {
    for (const wf of Object.values(workflows)) {
      for (const job of Object.values(wf.jobs)) {
        for (const stack of pulumiStacks(job))
          expect(fs.existsSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`))).toBe(true);
      }
    }
  });

  it("take credentials only from repository secrets", () => {
    const text = Object.keys(workflows)
      .map((f) => fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8"))
      .join("\n");
    for (const match of text.matchAll(
      /^\s*(PULUMI_ACCESS_TOKEN|NOMAD_TOKEN|NOMAD_ADDR|CONSUL_HTTP_TOKEN|CONSUL_HTTP_ADDR|github-token):\s*(.+)$/gm,
    )) {
      expect(match[2]).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    }
  });
});
