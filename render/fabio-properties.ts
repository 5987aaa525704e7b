// fabio.properties for one Fabio: the text the job's template stanza writes, and what tests feed a real Fabio.
import type { FabioInstanceConfig, StackConfig } from "../config";
import { tokenTemplateExpression } from "./nomad-variables";

export type FabioRole = "nameServerIndex" | "prometheus";

// The text passes through consul-template and Fabio's properties parser (which expands `${...}` and
// treats `\` as an escape), so values are limited to characters that mean nothing to either.
const INERT_VALUE = /^[A-Za-z0-9._:/-]*$/;

/**
 * Route matching per role. The index Fabio matches whole paths (glob without wildcards) so a request
 * for a subgroup whose service is missing gets a 404 instead of falling through to another cluster's
 * shorter prefix; the Prometheus Fabio serves a whole UI under `/` and needs prefix matching.
 */
const MATCHER: Record<FabioRole, "glob" | "prefix"> = { nameServerIndex: "glob", prometheus: "prefix" };

/**
 * The Consul KV prefix a Fabio reads manual route overrides and its no-route page from: one per Fabio
 * so two Fabios never apply each other's overrides, and an ACL policy can grant exactly this prefix.
 */
export function fabioKvPrefix(instance: FabioInstanceConfig): string {
  return `fabio/${instance.jobName}/`;
}

export function fabioProperties(cfg: StackConfig, role: FabioRole): string {
  const instance = cfg.fabio[role];
  const props: [string, string][] = [
    ["proxy.addr", `:${instance.proxyPort}`],
    ["proxy.matcher", MATCHER[role]],
    ["ui.addr", `:${instance.uiPort}`],
    ["registry.backend", "consul"],
    ["registry.consul.addr", cfg.consul.address],
    ["registry.consul.tagprefix", instance.tagPrefix],
    ["registry.consul.kvpath", `/${fabioKvPrefix(instance)}config`],
    ["registry.consul.noroutehtmlpath", `/${fabioKvPrefix(instance)}noroute.html`],
    // Nomad registers this Fabio's service (with its health check); self-registration would add a
    // second "fabio" service per host and both Fabios would claim the same name.
    ["registry.consul.register.enabled", "false"],
    ["metrics.target", "prometheus"],
  ];
  const lines = props.map(([key, value]) => `${key} = ${inert(key, value)}\n`);
  if (cfg.consul.acl.enabled) {
    // Filled in by consul-template from the job's Nomad Variable when the task starts.
    lines.push(`registry.consul.token = ${tokenTemplateExpression(instance.jobName)}\n`);
  }
  return lines.join("");
}

function inert(key: string, value: string): string {
  if (!INERT_VALUE.test(value)) {
    throw new RangeError(`refusing to write ${key} = ${JSON.stringify(value)} into fabio.properties`);
  }
  return value;
}
