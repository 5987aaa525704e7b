// fabio.properties for one Fabio: the text the job's template stanza writes, the artifact the render CLI writes
// beside the jobspec, and what tests feed a real Fabio.
import type { FabioRole } from "../config";
import type { StackModel } from "../model";

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

/** One `key = value` line of fabio.properties. */
export interface FabioProperty {
  readonly key: string;
  readonly value: string;
}

/**
 * The properties in file order. They hold no secret: with Consul ACLs on, the token reaches Fabio as
 * CONSUL_HTTP_TOKEN (see the jobspec), because Fabio prints every property, registry.consul.token included,
 * at startup.
 */
export function fabioPropertyList(model: StackModel, role: FabioRole): FabioProperty[] {
  const fabio = model.fabios[role];
  const props: [string, string][] = [
    // Fabio 1.6 serves Prometheus metrics only on a proxy listener of its own (any path answers).
    ["proxy.addr", `:${fabio.ports.proxy},:${fabio.ports.metrics};proto=prometheus`],
    ["proxy.matcher", MATCHER[role]],
    ["ui.addr", `:${fabio.ports.ui}`],
    // The default `rw` lets anyone who reaches the UI port write route overrides into Consul KV (PUT /api/manual).
    ["ui.access", "ro"],
    ["registry.backend", "consul"],
    ["registry.consul.addr", model.config.consul.address],
    ["registry.consul.tagprefix", fabio.tagPrefix],
    // The default `one` routes to an instance while any one of its checks passes, ignoring a failing second check.
    ["registry.consul.checksRequired", "all"],
    ["registry.consul.kvpath", `/${fabio.kvPrefix}config`],
    ["registry.consul.noroutehtmlpath", `/${fabio.kvPrefix}noroute.html`],
    // Nomad registers this Fabio's service (with its health check); self-registration would add a
    // second "fabio" service per host and both Fabios would claim the same name.
    ["registry.consul.register.enabled", "false"],
    ["metrics.target", "prometheus"],
    // Without a prefix Fabio names metrics after the host (<host>_fabio_…), different on every machine.
    ["metrics.prefix", "fabio"],
  ];
  return props.map(([key, value]) => ({ key, value: inert(key, value) }));
}

export function fabioProperties(model: StackModel, role: FabioRole): string {
  return fabioPropertyList(model, role)
    .map(({ key, value }) => `${key} = ${value}\n`)
    .join("");
}

function inert(key: string, value: string): string {
  if (!INERT_VALUE.test(value)) {
    throw new RangeError(`refusing to write ${key} = ${JSON.stringify(value)} into fabio.properties`);
  }
  return value;
}
