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

export const port = z
  .number({ error: "must be a port number" })
  .int("must be a whole number")
  .min(1, "must be a port between 1 and 65535")
  .max(65535, "must be a port between 1 and 65535");

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

export const resources = z.strictObject({
  /** MHz of CPU Nomad reserves for the task. */
  cpu: z.number().int().min(1).default(200),
  /** MiB of memory Nomad reserves for the task. */
  memory: z.number().int().min(16).default(128),
});

/** host:port of an agent's HTTP API, with a port Nomad and Consul can listen on. */
export const hostPort = z.string().superRefine((address, ctx) => {
  const match = HOST_PORT.exec(address);
  if (match === null) {
    ctx.addIssue({ code: "custom", message: "must be host:port, e.g. 127.0.0.1:8500" });
  } else if (!(Number(match[2]) >= 1 && Number(match[2]) <= 65535)) {
    ctx.addIssue({ code: "custom", message: "must have a port between 1 and 65535" });
  }
});
