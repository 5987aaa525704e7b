import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stacksAmong } from "../../config";
import { NOMAD_DEV_AGENT_FILE, renderImageFiles } from "../../render";
import { parse as parseYaml } from "yaml";
import { parseHcl, type HclBody } from "../support/hcl";
import { loadStack, PROJECT_DIR, modelOf } from "../support/stack";

const PACKER_DIR = path.join(PROJECT_DIR, "packer");
const GENERATED_DIR = path.join(PACKER_DIR, "generated");
const REGENERATE = "run `npm run generate:packer` (tsx scripts/generate-packer.ts) and commit packer/generated/";

/** Every stack with a Pulumi.<stack>.yaml, which is what generate-packer writes a directory for. */
const STACK_FILES = stacksAmong(fs.readdirSync(PROJECT_DIR));

/** Every file under `dir`, as relative paths with `/` separators, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Nomad datacenters of a committed stack file, read straight from the YAML (not through the schema). */
function datacentersOf(stack: string): string[] {
  const doc = parseYaml(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, { datacenters?: string[] } | undefined>;
  };
  return doc.config["rocketmq-system-jobs:nomad"]?.datacenters ?? ["dc1"];
}

/**
 * One packer run: an image build with the variables file it is built with (relative to generated/<stack>/),
 * and the files it must upload (relative to generated/<stack>/) into each agent's staging directory. Servers
 * are built once per stack, clients once per Nomad datacenter. consul_http's file is one of two per stack
 * (OPTIONAL): consul_service.json without Consul ACLs, consul_service.boot.json with them.
 */
interface ImageRun {
  image: string;
  varFile: string;
  uploads: Record<string, "consul.d" | "nomad.d">;
}

const OPTIONAL = new Set(["consul_service.json", "consul_service.boot.json"]);

function imageRuns(stack: string): ImageRun[] {
  return [
    {
      image: "consul-server",
      varFile: "images.pkrvars.hcl",
      uploads: {
        "consul-server.hcl": "consul.d",
        "consul_service.json": "consul.d",
        "consul_service.boot.json": "consul.d",
      },
    },
    {
      image: "nomad-server",
      varFile: "images.pkrvars.hcl",
      uploads: { "consul-client.hcl": "consul.d", "nomad-server.hcl": "nomad.d" },
    },
    ...datacentersOf(stack).map((dc): ImageRun => ({
      image: "nomad-client",
      varFile: `nomad-client/${dc}/images.pkrvars.hcl`,
      uploads: { "consul-client.hcl": "consul.d", [`nomad-client/${dc}/nomad-client.hcl`]: "nomad.d" },
    })),
  ];
}

interface Build {
  name: string;
  provisioner: {
    file?: { sources: string[] | string; destination: string }[];
    shell?: { environment_vars?: string[]; inline?: string | string[] }[];
  };
}

async function packerTemplates(): Promise<{ file: string; doc: HclBody }[]> {
  const files = fs.readdirSync(PACKER_DIR).filter((f) => f.endsWith(".pkr.hcl"));
  return Promise.all(
    files.map(async (file) => ({
      file,
      doc: await parseHcl(fs.readFileSync(path.join(PACKER_DIR, file), "utf8"), file),
    })),
  );
}

async function packerBuilds(): Promise<Build[]> {
  return (await packerTemplates()).flatMap(({ doc }) => (doc.build as Build[] | undefined) ?? []);
}

/** `[for name in local.X : "${local.generated}/${name}" if fileexists("${local.generated}/${name}")]` */
const PRESENT_FILES =
  /^\$\{\[\s*for name in local\.(\w+) : "\$\{local\.generated\}\/\$\{name\}"\s+if fileexists\("\$\{local\.generated\}\/\$\{name\}"\)\s*\]\}$/;

async function packerLocals(): Promise<HclBody> {
  const [images] = (await packerTemplates()).filter(({ file }) => file === "images.pkr.hcl");
  return Object.assign({}, ...((images!.doc.locals as HclBody[] | undefined) ?? [])) as HclBody;
}

async function packerVariables(): Promise<Record<string, HclBody[]>> {
  return Object.assign(
    {},
    ...(await packerTemplates()).map(({ doc }) => (doc.variable as Record<string, HclBody[]> | undefined) ?? {}),
  ) as Record<string, HclBody[]>;
}

/**
 * Evaluates the plain interpolations of a packer path, as packer would run from the project directory:
 * `${path.root}` is packer/, `${var.x}` comes from the variables file, `${local.x}` from images.pkr.hcl.
 */
function resolvePath(expression: string, vars: HclBody, locals: HclBody): string {
  return expression.replace(
    /\$\{(path\.root|var\.(\w+)|local\.(\w+))\}/g,
    (_match, _whole, varName: string | undefined, localName: string | undefined) => {
      if (varName !== undefined) {
        const value = vars[varName];
        if (typeof value !== "string") throw new Error(`the variables file does not set ${varName}`);
        return value;
      }
      if (localName !== undefined) return resolvePath(String(locals[localName]), vars, locals);
      return "packer";
    },
  );
}

/**
 * The files a build uploads with a variables file, as paths relative to the project directory, with the
 * staging directory they go to. A `sources` list may be the files of a local that exist (PRESENT_FILES).
 */
function uploads(build: Build, vars: HclBody, locals: HclBody): Record<string, string> {
  const result: Record<string, string> = {};
  for (const step of build.provisioner.file ?? []) {
    const sources: string[] =
      typeof step.sources === "string"
        ? ((locals[PRESENT_FILES.exec(step.sources)?.[1] ?? ""] as string[] | undefined)
            ?.map((name) => `\${local.generated}/${name}`)
            .filter((source) => fs.existsSync(path.join(PROJECT_DIR, resolvePath(source, vars, locals)))) ?? [
            step.sources,
          ])
        : step.sources;
    for (const source of sources) {
      const destination = /\/(consul\.d|nomad\.d)\/$/.exec(step.destination)?.[1] ?? step.destination;
      result[resolvePath(source, vars, locals)] = destination;
    }
  }
  return result;
}

async function varFileOf(stack: string, varFile: string): Promise<HclBody> {
  return parseHcl(fs.readFileSync(path.join(GENERATED_DIR, stack, varFile), "utf8"));
}

/** The variables a build sees with a variables file: the file's values over the declared defaults. */
async function packerInputs(stack: string, varFile: string): Promise<HclBody> {
  const defaults = Object.entries(await packerVariables())
    .filter(([, [decl]]) => decl !== undefined && "default" in decl)
    .map(([name, [decl]]): [string, unknown] => [name, decl!.default]);
  return { ...Object.fromEntries(defaults), ...(await varFileOf(stack, varFile)) };
}

describe("packer/generated", () => {
  it("holds one directory per stack file, and nothing else", () => {
    expect(fs.readdirSync(GENERATED_DIR).sort(), `stale or missing stack directories: ${REGENERATE}`).toEqual(
      STACK_FILES,
    );
  });

  it.each(STACK_FILES)("holds exactly what the renderer writes for the %s stack", (stack) => {
    const dir = path.join(GENERATED_DIR, stack);
    const fresh = renderImageFiles(modelOf(loadStack(stack), stack));
    expect(filesUnder(dir), `packer/generated/${stack} has other files: ${REGENERATE}`).toEqual(
      fresh.map((f) => f.name).sort(),
    );
    for (const file of fresh) {
      const committed = fs.readFileSync(path.join(dir, file.name), "utf8");
      expect(committed, `packer/generated/${stack}/${file.name} is stale: ${REGENERATE}`).toBe(file.content);
    }
  });

  it("holds one Nomad server config for prod's two datacenters, and a client config per datacenter", async () => {
    const prod = path.join(GENERATED_DIR, "prod");
    const server = await parseHcl(fs.readFileSync(path.join(prod, "nomad-server.hcl"), "utf8"));
    expect(server).toMatchObject({ datacenter: "dc1", server: [{ enabled: true, bootstrap_expect: 3 }] });
    expect(filesUnder(prod).filter((file) => file.endsWith("nomad-client.hcl"))).toEqual([
      "nomad-client/dc1/nomad-client.hcl",
      "nomad-client/dc2/nomad-client.hcl",
    ]);
    for (const dc of ["dc1", "dc2"]) {
      const client = await parseHcl(fs.readFileSync(path.join(prod, "nomad-client", dc, "nomad-client.hcl"), "utf8"));
      expect(client).toMatchObject({ region: "global", datacenter: dc, client: [{ enabled: true }] });
      expect(await varFileOf("prod", `nomad-client/${dc}/images.pkrvars.hcl`)).toMatchObject({
        stack: "prod",
        nomad_client_datacenter: dc,
      });
    }
  });
});

describe("packer templates", () => {
  it("parse with HashiCorp's HCL parser and define the three image builds", async () => {
    expect((await packerBuilds()).map((b) => b.name).sort()).toEqual(["consul-server", "nomad-client", "nomad-server"]);
  });

  it.each(STACK_FILES)(
    "make every image of the %s stack upload its generated files into the right agent's config directory",
    async (stack) => {
      const builds = await packerBuilds();
      const locals = await packerLocals();
      for (const run of imageRuns(stack)) {
        const build = builds.find((b) => b.name === run.image)!;
        const uploaded = uploads(build, await packerInputs(stack, run.varFile), locals);
        const base = `packer/generated/${stack}/`;
        const expected = Object.entries(run.uploads).filter(
          ([name]) => !OPTIONAL.has(name) || fs.existsSync(path.join(GENERATED_DIR, stack, name)),
        );
        expect(uploaded, `${run.image} with ${run.varFile}`).toEqual(
          Object.fromEntries(expected.map(([name, dir]) => [base + name, dir])),
        );
        for (const file of Object.keys(uploaded)) expect(fs.existsSync(path.join(PROJECT_DIR, file)), file).toBe(true);
        const optional = Object.keys(run.uploads).filter((n) => OPTIONAL.has(n));
        expect(optional.filter((n) => fs.existsSync(path.join(GENERATED_DIR, stack, n)))).toHaveLength(
          optional.length === 0 ? 0 : 1,
        );
      }
    },
  );

  it("give the nomad-client build no files with the server images' variables file, so packer stops before it starts", async () => {
    const build = (await packerBuilds()).find((b) => b.name === "nomad-client")!;
    const missing = Object.keys(
      uploads(build, await packerInputs("prod", "images.pkrvars.hcl"), await packerLocals()),
    ).filter((file) => !fs.existsSync(path.join(PROJECT_DIR, file)));
    expect(missing).toEqual(["packer/generated/prod/nomad-client//nomad-client.hcl"]);
  });

  it.each(STACK_FILES)("put every generated agent file of the %s stack into some image", (stack) => {
    const uploaded = new Set(imageRuns(stack).flatMap((run) => Object.keys(run.uploads)));
    const agentFiles = renderImageFiles(modelOf(loadStack(stack), stack))
      .map((f) => f.name)
      // The quick start's workstation agent is the one agent file no image carries.
      .filter((name) => !name.endsWith(".pkrvars.hcl") && name !== NOMAD_DEV_AGENT_FILE);
    expect(agentFiles.filter((name) => !uploaded.has(name))).toEqual([]);
  });

  it.each(STACK_FILES)(
    "get every variable without a default from each generated variables file of the %s stack, except the source image",
    async (stack) => {
      const variables = await packerVariables();
      const required = Object.entries(variables)
        .filter(([, [decl]]) => decl !== undefined && !("default" in decl))
        .map(([name]) => name);
      const varFiles = filesUnder(path.join(GENERATED_DIR, stack)).filter((f) => f.endsWith(".pkrvars.hcl"));
      expect(varFiles).toEqual([...new Set(imageRuns(stack).map((run) => run.varFile))].sort());
      for (const varFile of varFiles) {
        const vars = await varFileOf(stack, varFile);
        expect(
          Object.keys(vars).filter((name) => !(name in variables)),
          varFile,
        ).toEqual([]);
        expect(required.filter((name) => !(name in vars)).sort(), varFile).toEqual(["source_image_id"]);
      }
    },
  );

  it("read UCloud credentials only from the environment", async () => {
    const [images] = (await packerTemplates()).filter(({ file }) => file === "images.pkr.hcl");
    const variables = images!.doc.variable as Record<string, HclBody[]>;
    expect(variables.ucloud_public_key).toEqual([
      { type: "${string}", default: '${env("UCLOUD_PUBLIC_KEY")}', sensitive: true },
    ]);
    expect(variables.ucloud_private_key).toEqual([
      { type: "${string}", default: '${env("UCLOUD_PRIVATE_KEY")}', sensitive: true },
    ]);
    const source = (images!.doc.source as Record<string, Record<string, HclBody[]>>)["ucloud-uhost"]!.base![0]!;
    expect(source).toMatchObject({
      public_key: "${var.ucloud_public_key}",
      private_key: "${var.ucloud_private_key}",
      project_id: "${var.ucloud_project_id}",
    });
  });
});

describe("Prometheus' host volume directory in the nomad-client image", () => {
  async function builds(): Promise<Build[]> {
    return (await packerTemplates()).flatMap(({ doc }) => (doc.build as Build[] | undefined) ?? []);
  }

  async function createVolumeScript(): Promise<string> {
    const [images] = (await packerTemplates()).filter(({ file }) => file === "images.pkr.hcl");
    const locals = Object.assign({}, ...((images!.doc.locals as HclBody[] | undefined) ?? [])) as HclBody;
    return (locals.create_prometheus_volume as string[]).join("\n");
  }

  /** The shell steps of a build that run a given local, with the environment they get. */
  async function stepsRunning(image: string, local: string): Promise<{ environment_vars?: string[] }[]> {
    const build = (await builds()).find((b) => b.name === image)!;
    return (build.provisioner.shell ?? []).filter((step) => String(step.inline).includes(`local.${local}`));
  }

  it("is created by the nomad-client build alone, from the generated variables file's prometheus_volume_path", async () => {
    const [step, ...others] = await stepsRunning("nomad-client", "create_prometheus_volume");
    expect(others).toEqual([]);
    expect(step!.environment_vars).toContain("PROMETHEUS_VOLUME_PATH=${var.prometheus_volume_path}");
    expect(await stepsRunning("nomad-server", "create_prometheus_volume")).toEqual([]);
    expect(await stepsRunning("consul-server", "create_prometheus_volume")).toEqual([]);
    for (const stack of STACK_FILES) {
      for (const dc of datacentersOf(stack)) {
        const vars = await varFileOf(stack, `nomad-client/${dc}/images.pkrvars.hcl`);
        expect(typeof vars.prometheus_volume_path, stack).toBe("string");
      }
    }
  });

  // install -o needs root, as the image build has (execute_command runs it with sudo).
  it.runIf(process.getuid?.() === 0)(
    "is owned by nobody (65534:65534, the prom/prometheus user) with mode 0750, and skipped when the path is empty",
    async () => {
      const script = await createVolumeScript();
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "rsj-volume-"));
      try {
        const volume = path.join(root, "opt", "prometheus");
        const run = (volumePath: string) =>
          spawnSync("sh", ["-c", script], {
            env: { ...process.env, PROMETHEUS_VOLUME_PATH: volumePath },
            encoding: "utf8",
          });
        expect(run(volume).status).toBe(0);
        const stat = fs.statSync(volume);
        expect({ uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o777 }).toEqual({
          uid: 65534,
          gid: 65534,
          mode: 0o750,
        });
        const empty = run("");
        expect(empty.status, empty.stderr).toBe(0);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

describe("the agent version check of every image build", () => {
  async function checkScript(agent: "consul" | "nomad"): Promise<string> {
    return ((await packerLocals())[`check_${agent}_version`] as string[]).join("\n");
  }

  /** Runs the check with a fake `<agent>` on PATH whose `version` prints `firstLine`. */
  async function check(agent: "consul" | "nomad", pin: string, firstLine: string) {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "rsj-version-"));
    try {
      fs.writeFileSync(path.join(bin, agent), `#!/bin/sh\necho '${firstLine}'\necho 'Revision 0123abcd'\n`, {
        mode: 0o755,
      });
      const result = spawnSync("sh", ["-c", await checkScript(agent)], {
        env: { PATH: `${bin}:/usr/bin:/bin`, [`${agent.toUpperCase()}_VERSION`]: pin },
        encoding: "utf8",
      });
      return { code: result.status, stderr: result.stderr };
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }

  it.each([
    ["consul", "1.8.7", "Consul v1.8.7"],
    ["nomad", "1.4", "Nomad v1.4.3 (f464aca721d222ae9c1f3df643b3c3aaa20e2da7)"],
    ["nomad", "1.4.3", "Nomad v1.4.3"],
  ] as const)("lets %s %s through when the image runs `%s`", async (agent, pin, line) => {
    expect((await check(agent, pin, line)).code).toBe(0);
  });

  it.each([
    ["consul", "1.8.7", "Consul v1.10.0"],
    ["consul", "1.8.7", "Consul v1.8.70"],
    ["nomad", "1.4", "Nomad v1.40.1"],
    ["nomad", "1.4", "Nomad v1.5.0"],
  ] as const)("stops the build for %s %s when the image runs `%s`", async (agent, pin, line) => {
    const result = await check(agent, pin, line);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`the source image runs ${line}`);
  });

  it.each([
    ["consul-server", ["CONSUL_VERSION=${var.consul_version}"]],
    ["nomad-server", ["CONSUL_VERSION=${var.consul_version}", "NOMAD_VERSION=${var.nomad_version}"]],
    ["nomad-client", ["CONSUL_VERSION=${var.consul_version}", "NOMAD_VERSION=${var.nomad_version}"]],
  ])("gets the pinned versions into the %s build", async (image, env) => {
    const builds = (await packerTemplates()).flatMap(({ doc }) => (doc.build as Build[] | undefined) ?? []);
    const steps = builds.find((b) => b.name === image)!.provisioner.shell ?? [];
    const installing = steps.filter((s) => /local\.install_(consul|nomad)_config/.test(String(s.inline)));
    expect(installing).toHaveLength(1);
    expect(installing[0]!.environment_vars).toEqual(expect.arrayContaining(env));
  });

  it.each(STACK_FILES)("reads the pins from every generated variables file of the %s stack", async (stack) => {
    const files = filesUnder(path.join(GENERATED_DIR, stack)).filter((file) => file.endsWith(".pkrvars.hcl"));
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const vars = await parseHcl(fs.readFileSync(path.join(GENERATED_DIR, stack, file), "utf8"));
      expect({ consul: vars.consul_version, nomad: vars.nomad_version }, file).toEqual({
        consul: "1.8.7",
        nomad: "1.4",
      });
    }
  });
});

describe("the one way to build an image", () => {
  /** The command, from the project directory; `packer init packer/` has run before. */
  const BUILD = /^packer build -var-file=(\S+) -var source_image_id=<uimage-id> -only='([a-z-]+)\.\*' packer\/$/;
  const IMAGES_DOC = fs.readFileSync(path.join(PROJECT_DIR, "docs", "images.md"), "utf8");

  /** Lines that run `packer build`, without a comment marker and indentation. */
  const buildLines = (text: string): string[] =>
    text
      .split("\n")
      .map((line) => line.replace(/^#/, "").trim())
      .filter((line) => line.startsWith("packer build"));

  const headerCommands = (stack: string): Map<string, string[]> =>
    new Map(
      filesUnder(path.join(GENERATED_DIR, stack))
        .filter((file) => file.endsWith(".pkrvars.hcl"))
        .map((file) => [file, buildLines(fs.readFileSync(path.join(GENERATED_DIR, stack, file), "utf8"))]),
    );

  it("is spelled the same in docs/images.md, images.pkr.hcl and every generated variables file", () => {
    const documented = buildLines(IMAGES_DOC);
    const template = buildLines(fs.readFileSync(path.join(PACKER_DIR, "images.pkr.hcl"), "utf8"));
    expect(documented.length).toBeGreaterThan(0);
    expect(template).toEqual(documented);
    for (const stack of STACK_FILES) {
      const generated = [...headerCommands(stack).values()].flat();
      for (const line of [...documented, ...generated]) expect(line).toMatch(BUILD);
      const instantiated = documented.flatMap((line) =>
        line.includes("<dc>")
          ? datacentersOf(stack).map((dc) => line.replace("<stack>", stack).replace("<dc>", dc))
          : [line.replace("<stack>", stack)],
      );
      expect(generated.sort()).toEqual(instantiated.sort());
    }
  });

  it("is preceded by packer init in docs/images.md and in every variables file's header", () => {
    const init = IMAGES_DOC.indexOf("packer init packer/");
    expect(init).toBeGreaterThan(-1);
    expect(init).toBeLessThan(IMAGES_DOC.indexOf("packer build"));
    for (const stack of STACK_FILES) {
      for (const file of headerCommands(stack).keys()) {
        expect(fs.readFileSync(path.join(GENERATED_DIR, stack, file), "utf8"), file).toContain("`packer init packer/`");
      }
    }
  });

  it.each(STACK_FILES)(
    "names, in each variables file of the %s stack, that file and a build it serves",
    async (stack) => {
      const builds = (await packerBuilds()).map((b) => b.name);
      const served = imageRuns(stack).map((run) => `${run.varFile} ${run.image}`);
      for (const [file, commands] of headerCommands(stack)) {
        expect(commands.length, file).toBeGreaterThan(0);
        for (const command of commands) {
          const [, varFile, image] = BUILD.exec(command)!;
          expect(varFile).toBe(`packer/generated/${stack}/${file}`);
          expect(builds).toContain(image);
          expect(served).toContain(`${file} ${image}`);
        }
      }
      expect(served.sort()).toEqual(
        [...headerCommands(stack)]
          .flatMap(([file, commands]) => commands.map((c) => `${file} ${BUILD.exec(c)![2]}`))
          .sort(),
      );
    },
  );
});
