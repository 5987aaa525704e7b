// Value types shared by the config schemas.
import { z } from "zod";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// registry[:port]/path/name followed by :tag and/or @sha256:digest
const IMAGE_REF =
  /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** A name Nomad accepts as a job ID and Consul as a service name (DNS label). */
export const dnsName = z
  .string()
  .regex(DNS_LABEL, "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");

/** Identifiers that end up in Nomad attributes, Fabio properties and Consul tags. */
export const safeToken = z
  .string()
  .regex(SAFE_TOKEN, "must be letters, digits, '.', '_' or '-', starting with a letter or digit");

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

/** host:port of an agent's HTTP API. */
export const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*:[0-9]{1,5}$/, "must be host:port, e.g. 127.0.0.1:8500");
