// Runs the Pulumi program under the engine mocks and records every resource it registers.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { vi } from "vitest";
import { stackFile } from "./stack";

export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The URN the engine assigned; its type part is the chain of parent types, `Parent$Child`. */
  urn: string;
}

export interface ProgramRun {
  resources: RegisteredResource[];
  outputs: Record<string, unknown>;
  /** What the program threw, if it failed. */
  error?: unknown;
}

/** Pulumi passes config to the program as strings; objects travel JSON-encoded, as the CLI sends them. */
function engineConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

export function stackFileConfig(stack: string): Record<string, unknown> {
  return (parseYaml(fs.readFileSync(stackFile(stack), "utf8")) as { config: Record<string, unknown> }).config;
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Imports index.ts afresh under mocks, with `config` as the stack's config, and resolves its outputs. */
export async function runProgram(stack: string, config: Record<string, unknown>): Promise<ProgramRun> {
  vi.resetModules();
  const pulumiFresh = await import("@pulumi/pulumi");
  const registered: Omit<RegisteredResource, "urn">[] = [];

  pulumiFresh.runtime.setAllConfig(engineConfig(config));
  await pulumiFresh.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        // The Nomad provider reports the job ID it read from the jobspec as `name`.
        const jobId = /^job "([^"]+)"/m.exec(String(args.inputs.jobspec ?? ""))?.[1];
        return { id: `${args.name}-id`, state: { ...args.inputs, ...(jobId ? { name: jobId } : {}) } };
      },
      call(args) {
        return args.inputs;
      },
    },
    "rocketmq-system-jobs",
    stack,
    false,
  );
  const resources = (): RegisteredResource[] => {
    const monitor = pulumiFresh.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    const urns = [...monitor.getRegisteredResources().keys()];
    return registered.map((r) => ({
      ...r,
      urn: urns.find((urn) => urn.endsWith(`$${r.type}::${r.name}`) || urn.endsWith(`::${r.type}::${r.name}`)) ?? "",
    }));
  };

  let program: Record<string, unknown>;
  try {
    program = (await import("../../index")) as Record<string, unknown>;
  } catch (error) {
    return { resources: resources(), outputs: {}, error };
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumiFresh.Output.isInstance(value) ? await promiseOf(value) : value;
  }
  return { resources: resources(), outputs };
}
