import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stacksAmong } from "../../config";
import { renderImageFiles } from "../../render";
import { parseHcl, type HclBody } from "../support/hcl";
import { loadStack, PROJECT_DIR } from "../support/stack";

const PACKER_DIR = path.join(PROJECT_DIR, "packer");
const GENERATED_DIR = path.join(PACKER_DIR, "generated");
const REGENERATE = "run `npm run generate:packer` (tsx scripts/generate-packer.ts) and commit packer/generated/";

/** Every stack with a Pulumi.<stack>.yaml, which is what generate-packer writes a directory for. */
const STACK_FILES = stacksAmong(fs.readdirSync(PROJECT_DIR));

/**
 * Which generated files each image carries, and into which agent's staging directory. consul_http's file is
 * one of two per stack (OPTIONAL): consul_service.json without Consul ACLs, consul_service.boot.json with them.
 */
const OPTIONAL = new Set(["consul_service.json", "consul_service.boot.json"]);
const IMAGES: Record<string, Record<string, "consul.d" | "nomad.d">> = {
  "consul-server": {
    "consul-server.hcl": "consul.d",
    "consul_service.json": "consul.d",
    "consul_service.boot.json": "consul.d",
  },
  "nomad-server": { "consul-client.hcl": "consul.d", "nomad-server.hcl": "nomad.d" },
  "nomad-client": { "consul-client.hcl": "consul.d", "nomad-client.hcl": "nomad.d" },
};

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

/** `[for name in local.X : "${local.generated}/${name}" if fileexists("${local.generated}/${name}")]` */
const PRESENT_FILES =
  /^\$\{\[\s*for name in local\.(\w+) : "\$\{local\.generated\}\/\$\{name\}"\s+if fileexists\("\$\{local\.generated\}\/\$\{name\}"\)\s*\]\}$/;

async function packerLocals(): Promise<HclBody> {
  const [images] = (await packerTemplates()).filter(({ file }) => file === "images.pkr.hcl");
  return Object.assign({}, ...((images!.doc.locals as HclBody[] | undefined) ?? [])) as HclBody;
}

/**
 * The files each build uploads, relative to generated/<stack>/, with the staging directory they go to. A
 * `sources` list may be the files of a local that exist (PRESENT_FILES).
 */
function uploads(build: Build, locals: HclBody): Record<string, string> {
  const result: Record<string, string> = {};
  for (const step of build.provisioner.file ?? []) {
    const sources: string[] =
      typeof step.sources === "string"
        ? ((locals[PRESENT_FILES.exec(step.sources)?.[1] ?? ""] as string[] | undefined)?.map(
            (name) => `\${local.generated}/${name}`,
          ) ?? [step.sources])
        : step.sources;
    for (const source of sources) {
      const name = /^\$\{local\.generated\}\/([^/]+)$/.exec(source)?.[1];
      if (name === undefined) throw new Error(`build ${build.name} uploads ${source}, not a generated file`);
      result[name] = /\/(consul\.d|nomad\.d)\/$/.exec(step.destination)?.[1] ?? step.destination;
    }
  }
  return result;
}

describe("packer/generated", () => {
  it("holds one directory per stack file, and nothing else", () => {
    expect(fs.readdirSync(GENERATED_DIR).sort(), `stale or missing stack directories: ${REGENERATE}`).toEqual(
      STACK_FILES,
    );
  });

  it.each(STACK_FILES)("holds exactly what the renderer writes for the %s stack", (stack) => {
    const dir = path.join(GENERATED_DIR, stack);
    const fresh = renderImageFiles(loadStack(stack), stack);
    expect(fs.readdirSync(dir).sort(), `packer/generated/${stack} has other files: ${REGENERATE}`).toEqual(
      fresh.map((f) => f.name).sort(),
    );
    for (const file of fresh) {
      const committed = fs.readFileSync(path.join(dir, file.name), "utf8");
      expect(committed, `packer/generated/${stack}/${file.name} is stale: ${REGENERATE}`).toBe(file.content);
    }
  });
});

describe("packer templates", () => {
  it("parse with HashiCorp's HCL parser and define the three image builds", async () => {
    const builds = (await packerTemplates()).flatMap(({ doc }) => (doc.build as Build[] | undefined) ?? []);
    expect(builds.map((b) => b.name).sort()).toEqual(Object.keys(IMAGES).sort());
  });

  it.each(Object.entries(IMAGES))(
    "make the %s image upload its generated files into the right agent's config directory",
    async (image, expected) => {
      const builds = (await packerTemplates()).flatMap(({ doc }) => (doc.build as Build[] | undefined) ?? []);
      const build = builds.find((b) => b.name === image)!;
      expect(uploads(build, await packerLocals())).toEqual(expected);
      for (const stack of STACK_FILES) {
        for (const name of Object.keys(expected).filter((n) => !OPTIONAL.has(n))) {
          expect(fs.existsSync(path.join(GENERATED_DIR, stack, name)), `${stack}/${name}`).toBe(true);
        }
        const optional = Object.keys(expected).filter((n) => OPTIONAL.has(n));
        expect(
          optional.filter((n) => fs.existsSync(path.join(GENERATED_DIR, stack, n))),
          stack,
        ).toHaveLength(optional.length === 0 ? 0 : 1);
      }
    },
  );

  it.each(STACK_FILES)("put every generated agent file of the %s stack into some image", (stack) => {
    const uploaded = new Set(Object.values(IMAGES).flatMap((files) => Object.keys(files)));
    const agentFiles = renderImageFiles(loadStack(stack), stack)
      .map((f) => f.name)
      .filter((name) => !name.endsWith(".pkrvars.hcl"));
    expect(agentFiles.filter((name) => !uploaded.has(name))).toEqual([]);
  });

  it("get every variable without a default from the generated variables file, except the source image", async () => {
    const variables = Object.assign(
      {},
      ...(await packerTemplates()).map(({ doc }) => (doc.variable as Record<string, HclBody[]> | undefined) ?? {}),
    ) as Record<string, HclBody[]>;
    const required = Object.entries(variables)
      .filter(([, [decl]]) => decl !== undefined && !("default" in decl))
      .map(([name]) => name);
    const vars = await parseHcl(
      renderImageFiles(loadStack("prod"), "prod").find((f) => f.name.endsWith(".pkrvars.hcl"))!.content,
    );
    expect(Object.keys(vars).filter((name) => !(name in variables))).toEqual([]);
    expect(required.filter((name) => !(name in vars)).sort()).toEqual(["source_image_id"]);
  });

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
      const vars = await parseHcl(fs.readFileSync(path.join(GENERATED_DIR, stack, "images.pkrvars.hcl"), "utf8"));
      expect(typeof vars.prometheus_volume_path, stack).toBe("string");
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
