// What a render holds, as data: written beside the artifacts so tools (the diff CLI) read what render knows
// instead of parsing it back out of rendered text.
import type { JobKind, StackModel } from "../model";
import { fabioPropertyList } from "./fabio-properties";

/** Where the render CLI writes the manifest under --out. */
export const MANIFEST_PATH = "jobs/manifest.json";

export interface ManifestFabio {
  /** `registry.consul.tagprefix`. */
  readonly tagPrefix: string;
  /** Whether RocketMQ clients query this Fabio for NameServer addresses. */
  readonly nameServerIndex: boolean;
  /** Where its fabio.properties artifact is. */
  readonly propertiesPath: string;
  /** fabio.properties as key → value, in file order. */
  readonly properties: Readonly<Record<string, string>>;
}

export interface ManifestJob {
  /** Nomad job ID. */
  readonly name: string;
  readonly kind: JobKind;
  readonly type: "system" | "service";
  /** Where its jobspec is. */
  readonly jobspec: string;
  /** Whether it is placed on every NameServer host. */
  readonly onNameServerHosts: boolean;
  /** Present for a Fabio. */
  readonly fabio?: ManifestFabio;
}

export interface RenderManifest {
  readonly stack: string;
  /** The stack file rendered. */
  readonly source: string;
  readonly jobs: readonly ManifestJob[];
}

export function renderManifest(model: StackModel): RenderManifest {
  return {
    stack: model.stack,
    source: model.source,
    jobs: model.jobs.map((job): ManifestJob => {
      const base = { name: job.name, kind: job.kind, type: job.type, jobspec: job.artifacts.jobspec };
      switch (job.kind) {
        case "fabio":
          return {
            ...base,
            onNameServerHosts: true,
            fabio: {
              tagPrefix: job.tagPrefix,
              nameServerIndex: job.role === "nameServerIndex",
              propertiesPath: job.artifacts.fabioProperties,
              properties: Object.fromEntries(fabioPropertyList(model, job.role).map((p) => [p.key, p.value])),
            },
          };
        case "prometheus":
        case "alertmanager":
          return { ...base, onNameServerHosts: false };
        default: {
          const unreachable: never = job;
          throw new Error(`unknown job ${JSON.stringify(unreachable)}`);
        }
      }
    }),
  };
}

export function manifestJson(model: StackModel): string {
  return `${JSON.stringify(renderManifest(model), null, 2)}\n`;
}
