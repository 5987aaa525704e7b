// Runs the Pulumi program under the engine mocks and records every resource it registers.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { isMap, isScalar, parse as parseYaml, parseDocument } from "yaml";
import { copiesOfOnce } from "./once";
import { stackFile } from "./stack";

export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The URN the engine assigned; its type part is the chain of parent types, `Parent$Child`. */
  urn: string;
  /** URNs the engine was told this resource depends on (dependsOn, expanded to custom resources). */
  dependencies: string[];
}

export interface ProgramRun {
  resources: RegisteredResource[];
  outputs: Record<string, unknown>;
  /** What the program threw, if it failed. */
  error?: unknown;
}

/**
 * Pulumi passes config to the program as one string per key: a string as it is, a mapping or list as its JSON.
 * Kept apart from config/load.ts on purpose: it is the model the CLI's encoding is checked against.
 */
function engineConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : value === null ? "" : JSON.stringify(value),
    ]),
  );
}

/** What Go's gopkg.in/yaml.v2 resolves to null (the Go string it decodes into stays ""). */
const GO_YAML_NULLS = ["", "~", "null", "Null", "NULL"];

/**
 * The `config:` mapping of any stack file as the Pulumi CLI reads it: config.Value's UnmarshalYAML first
 * decodes each value into a Go string, and yaml.v2 puts a scalar's text there as written in the file (a plain
 * `1e3` stays "1e3"; a quoted one is its unquoted text) and leaves it "" for a null. Mappings and lists keep
 * their YAML types (the engine passes them as JSON).
 */
export function readStackFileConfig(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, "utf8");
  const config = (parseYaml(text) as { config: Record<string, unknown> }).config;
  const node = parseDocument(text).get("config", true);
  if (!isMap(node)) return config;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!isScalar(pair.value)) {
      if (pair.value === null) config[key] = "";
      continue;
    }
    const [start, end] = pair.value.range!;
    const written = text.slice(start, end).trim();
    const plain = !/^["'|>]/.test(written); // not quoted, not a block scalar
    config[key] = !plain ? String(pair.value.value) : GO_YAML_NULLS.includes(written) ? "" : written;
  }
  return config;
}

/** The `config:` mapping of a committed stack file, read once per worker; each caller gets a copy of its own. */
export const stackFileConfig = copiesOfOnce((stack) => readStackFileConfig(stackFile(stack)));

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** What the mocked Consul provider returns as a token's secret ID. */
export const MOCK_TOKEN_SECRET = "mock-secret-id-7f3a";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Replaces every secret-wrapped value by a marker, so what is left is what would be shown in plain text. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value !== null && typeof value === "object") {
    if (SECRET_SIG in value) return "[secret]";
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
  }
  return value;
}

/** Whether a mock-received input is wrapped as a secret. */
export function isSecretInput(value: unknown): boolean {
  return value !== null && typeof value === "object" && SECRET_SIG in value;
}

export interface Mocked {
  /** The @pulumi/pulumi instance the mocks are installed in; import components after installing. */
  pulumi: typeof pulumi;
  /** Every resource registered so far, with its URN and dependencies. */
  resources: () => RegisteredResource[];
}

/**
 * Installs the engine mocks, with `config` as the stack's config (`secretKeys` marked secret, as `pulumi config
 * set --secret` does). From then on the program and components register their resources with these mocks. (The
 * SDK is one CommonJS instance per worker, which vi.resetModules() would not replace either.)
 */
export async function installMocks(
  stack: string,
  config: Record<string, unknown> = {},
  secretKeys: string[] = [],
): Promise<Mocked> {
  // A component registers its outputs after its constructor returns: let the previous run finish first, or
  // those registrations would reach this run's mocks, which never saw the component.
  await previous?.runtime.disconnect();
  const sdk = await import("@pulumi/pulumi");
  const registered: Omit<RegisteredResource, "urn" | "dependencies">[] = [];
  const dependencies = new Map<string, string[]>();

  sdk.runtime.setAllConfig(engineConfig(config), secretKeys);
  await sdk.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, inputs });
        // The Nomad provider reports the job ID it read from the jobspec as `name`.
        const jobspec = typeof inputs.jobspec === "string" ? inputs.jobspec : "";
        const jobId = /^job "([^"]+)"/m.exec(jobspec)?.[1];
        return { id: `${args.name}-id`, state: { ...inputs, ...(jobId ? { name: jobId } : {}) } };
      },
      call(args) {
        const inputs = args.inputs as Record<string, unknown>;
        if (args.token === "consul:index/getAclTokenSecretId:getAclTokenSecretId") {
          return { ...inputs, secretId: MOCK_TOKEN_SECRET };
        }
        return inputs;
      },
    },
    "rocketmq-system-jobs",
    stack,
    false,
  );
  // The mock monitor drops dependencies; record them from each registration request on the way in.
  type Request = { getType(): string; getName(): string; getDependenciesList(): string[] };
  const monitor = sdk.runtime.getMonitor() as unknown as {
    registerResource(req: Request, cb: unknown): void;
    getRegisteredResources(): Map<string, unknown>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    dependencies.set(`${req.getType()}::${req.getName()}`, req.getDependenciesList());
    register(req, cb);
  };

  const resources = (): RegisteredResource[] => {
    const urns = [...monitor.getRegisteredResources().keys()];
    return registered.map((r) => ({
      ...r,
      dependencies: dependencies.get(`${r.type}::${r.name}`) ?? [],
      urn: urns.find((urn) => urn.endsWith(`$${r.type}::${r.name}`) || urn.endsWith(`::${r.type}::${r.name}`)) ?? "",
    }));
  };
  previous = sdk;
  return { pulumi: sdk, resources };
}

let previous: typeof pulumi | undefined;
let runs = 0;

/** Imports index.ts afresh under mocks (see installMocks) and resolves its outputs. */
export async function runProgram(
  stack: string,
  config: Record<string, unknown>,
  secretKeys: string[] = [],
): Promise<ProgramRun> {
  // The SDK takes a stack trace for every resource and every promise it makes (source positions for the engine,
  // which the mocks never read). Mapped through vitest's source maps they cost more than the rest of a run; V8's
  // own formatting is used meanwhile.
  const errors: { prepareStackTrace?: unknown } = Error;
  const prepareStackTrace = errors.prepareStackTrace;
  errors.prepareStackTrace = undefined;
  try {
    return await runUnderMocks(stack, config, secretKeys);
  } finally {
    errors.prepareStackTrace = prepareStackTrace;
  }
}

async function runUnderMocks(
  stack: string,
  config: Record<string, unknown>,
  secretKeys: string[],
): Promise<ProgramRun> {
  const mocked = await installMocks(stack, config, secretKeys);
  let program: Record<string, unknown>;
  try {
    // The program runs when its module is evaluated: each run imports it as a module of its own (the modules
    // it imports are evaluated once; they hold no state of a run).
    program = (await import(/* @vite-ignore */ `../../index.ts?run=${++runs}`)) as Record<string, unknown>;
  } catch (error) {
    return { resources: mocked.resources(), outputs: {}, error };
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = mocked.pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
  }
  return { resources: mocked.resources(), outputs };
}
