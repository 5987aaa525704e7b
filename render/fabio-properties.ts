// fabio.properties for one Fabio: the text the job's template stanza writes, and what tests feed a real Fabio.
import type { FabioRole, StackConfig } from "../config";
import { fabioTagPrefix } from "./cluster-scope";

// The text passes through consul-template and Fabio's properties parser (which expands `${...}` and
// treats `\` as an escape), so values are limited to characters that mean nothing to either.
// (`,` `;` `=` separate proxy listeners and their options.)
const INERT_VALUE = /^[A-Za-z0-9._:/,;=-]*$/;

/**
 * Route matching per role. The index Fabio matches whole paths (glob without wildcards) so a request
 * for a subgroup whose service is missing gets a 404 instead of falling through to another cluster's
 * shorter prefix; the Prometheus Fabio serves a whole UI under `/` and needs prefix matching.
 */
const MATCHER: Record<FabioRole, "glob" | "prefix"> = { nameServerIndex: "glob", prometheus: "prefix" };

/**
 * The Consul KV prefix a Fabio reads manual route overrides and its no-route page from: one per Fabio and
 * stack, so no two Fabios (of one stack or of two stacks on one Consul) apply each other's overrides, and
 * an ACL policy can grant exactly this prefix.
 */
export function fabioKvPrefix(cfg: StackConfig, role: FabioRole): string {
  return `fabio/${cfg.clusterName}/${cfg.fabio[role].jobName}/`;
}

export { fabioMetricsService } from "../config/discovered-services";

/**
 * The properties hold no secret: with Consul ACLs on, the token reaches Fabio as CONSUL_HTTP_TOKEN
 * (see the jobspec), because Fabio prints every property, registry.consul.token included, at startup.
 */
export function fabioProperties(cfg: StackConfig, role: FabioRole): string {
  const instance = cfg.fabio[role];
  const props: [string, string][] = [
    // Fabio 1.6 serves Prometheus metrics only on a proxy listener of its own (any path answers).
    ["proxy.addr", `:${instance.proxyPort},:${instance.metricsPort};proto=prometheus`],
    ["proxy.matcher", MATCHER[role]],
    ["ui.addr", `:${instance.uiPort}`],
    // The default `rw` lets anyone who reaches the UI port write route overrides into Consul KV (PUT /api/manual).
    ["ui.access", "ro"],
    ["registry.backend", "consul"],
    ["registry.consul.addr", cfg.consul.address],
    ["registry.consul.tagprefix", fabioTagPrefix(cfg, role)],
    // The default `one` routes to an instance while any one of its checks passes, ignoring a failing second check.
    ["registry.consul.checksRequired", "all"],
    ["registry.consul.kvpath", `/${fabioKvPrefix(cfg, role)}config`],
    ["registry.consul.noroutehtmlpath", `/${fabioKvPrefix(cfg, role)}noroute.html`],
    // Nomad registers this Fabio's service (with its health check); self-registration would add a
    // second "fabio" service per host and both Fabios would claim the same name.
    ["registry.consul.register.enabled", "false"],
    ["metrics.target", "prometheus"],
    // Without a prefix Fabio names metrics after the host (<host>_fabio_…), different on every machine.
    ["metrics.prefix", "fabio"],
  ];
  return props.map(([key, value]) => `${key} = ${inert(key, value)}\n`).join("");
}

function inert(key: string, value: string): string {
  if (!INERT_VALUE.test(value)) {
    throw new RangeError(`refusing to write ${key} = ${JSON.stringify(value)} into fabio.properties`);
  }
  return value;
}
