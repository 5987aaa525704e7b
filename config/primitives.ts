// Value types shared by the config schemas.
import { z } from "zod";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Dot-separated HCL identifiers: Nomad parses `${meta.<key>}` as an HCL traversal, one identifier per segment.
const NODE_META_KEY = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const HOST_PORT = /^([A-Za-z0-9][A-Za-z0-9.-]*):([0-9]+)$/;
// registry[:port]/path/name followed by :tag and/or @sha256:digest
const IMAGE_REF =
  /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** Whether `name` is a DNS label, which Nomad accepts as a job ID and Consul as a service name. */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

/** A name Nomad accepts as a job ID and Consul as a service name (DNS label). */
export const dnsName = z
  .string()
  .regex(DNS_LABEL, "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");

/** Identifiers that end up in Nomad attributes, Fabio properties and Consul tags. */
export const safeToken = z
  .string()
  .regex(SAFE_TOKEN, "must be letters, digits, '.', '_' or '-', starting with a letter or digit");

/**
 * Whether `key` can stand in `${meta.<key>}`: every dot-separated segment an HCL identifier (a letter or '_',
 * then letters, digits, '_' or '-'). Anything else makes Nomad refuse the whole jobspec ("Extra characters
 * after interpolation expression"). The config checks it and the renderer refuses it again.
 */
export function isNodeMetaKey(key: string): boolean {
  return NODE_META_KEY.test(key);
}

/** A Nomad client `meta` key a constraint can select on, e.g. `rack` or `rocketmq.role`. */
export const nodeMetaKey = z
  .string()
  .refine(
    isNodeMetaKey,
    "must be dot-separated names, each starting with a letter or '_' followed by letters, digits, '_' or '-' (Nomad reads it as ${meta.<key>})",
  );

const PORT_RULE = "must be a port number from 1 to 65535";
export const port = z.number({ error: PORT_RULE }).int(PORT_RULE).min(1, PORT_RULE).max(65535, PORT_RULE);

/** A container image pinned to a tag other than `latest`, or to a digest. */
export const pinnedImage = z
  .string()
  .regex(IMAGE_REF, "must be an image reference such as fabiolb/fabio:1.6.3")
  .superRefine((ref, ctx) => {
    const digest = ref.includes("@sha256:");
    const lastSegment = ref.split("@")[0]!.split("/").pop()!;
    const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
    if (!digest && tag === undefined)
      ctx.addIssue({ code: "custom", message: `"${ref}" has no tag; pin a version or a digest` });
    if (!digest && tag === "latest")
      ctx.addIssue({ code: "custom", message: `"${ref}" is tagged latest; pin a version or a digest` });
  });

/** A whole number from `min` to `max`, every rule stated in one message that names the unit. */
export function wholeNumberBetween(min: number, max: number, unit: string, why = "") {
  const rule = `must be a whole number of ${unit} from ${min} to ${max}${why}`;
  return z.number({ error: rule }).int(rule).min(min, rule).max(max, rule);
}

/**
 * Bounds of a task's reservation. Nomad places a task only on a client with that much free, so a figure no
 * NameServer host has (100 GHz, 256 GiB) leaves the job pending everywhere instead of failing.
 */
export const MAX_CPU_MHZ = 100_000;
export const MAX_MEMORY_MIB = 262_144;
const NO_HOST_HAS = " (Nomad places a task only on a host with that much free)";

/** A task's `resources`: MHz of CPU and MiB of memory Nomad reserves for it. */
export function resources(defaults: { cpu: number; memory: number; minMemory: number }) {
  return z.strictObject({
    /** MHz of CPU Nomad reserves for the task. */
    cpu: wholeNumberBetween(1, MAX_CPU_MHZ, "MHz", NO_HOST_HAS).default(defaults.cpu),
    /** MiB of memory Nomad reserves for the task. */
    memory: wholeNumberBetween(defaults.minMemory, MAX_MEMORY_MIB, "MiB", NO_HOST_HAS).default(defaults.memory),
  });
}

/** A list in which every item appears once; a repeat is reported at its own index. */
export function uniqueList<T extends z.ZodType<string>>(item: T, noun: string) {
  return z.array(item).superRefine((list, ctx) => {
    list.forEach((value, i) => {
      const first = list.indexOf(value);
      if (first < i) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `${JSON.stringify(value)} is listed twice (also at [${first}]); list each ${noun} once`,
        });
      }
    });
  });
}

/** host:port of an agent's HTTP API, with a port Nomad and Consul can listen on. */
export const hostPort = z.string().superRefine((address, ctx) => {
  const match = HOST_PORT.exec(address);
  if (match === null) {
    ctx.addIssue({ code: "custom", message: "must be host:port, e.g. 127.0.0.1:8500" });
  } else if (!(Number(match[2]) >= 1 && Number(match[2]) <= 65535)) {
    ctx.addIssue({ code: "custom", message: "must have a port between 1 and 65535" });
  }
});
