// Pure checks of what Consul and Nomad say about the NameServer hosts and the NameServer-index services.
import { FABIO_ROLES } from "../config";
import type { StackModel } from "../model";
import { fail, hostLabel, pass, type CheckResult, type Host } from "./result";
import { oneLine } from "./responses";
import type { ConsulView, IndexService, NomadView, ServiceInstance } from "./views";

export const FABIO_SERVICES_CHECK = "fabio services";
export const FABIO_ALLOCATIONS_CHECK = "fabio allocations";
export const indexServiceCheckName = (service: string) => `index service ${service}`;

/**
 * Every host either source knows: a node where Consul has a Fabio service, or a node Nomad's host selection
 * picks (which may have lost both Fabios). Sorted by name; Consul's service address wins over Nomad's.
 */
export function nameServerHosts(consul: ConsulView, nomad?: NomadView): Host[] {
  const hosts = new Map<string, Host>();
  for (const role of FABIO_ROLES) {
    for (const instance of consul.fabio[role]) {
      if (!hosts.has(instance.node)) hosts.set(instance.node, { name: instance.node, address: instance.address });
    }
  }
  for (const node of nomad?.selected ?? []) {
    if (!hosts.has(node.Name)) hosts.set(node.Name, { name: node.Name, address: node.Address });
  }
  return [...hosts.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Problems of one service's instances on one node, e.g. `fabio-prometheus: check "fabio health" is critical`. */
function instanceProblems(service: string, instances: ServiceInstance[]): string[] {
  if (instances.length === 0) return [`no ${service} service`];
  const problems = instances.length > 1 ? [`${instances.length} ${service} instances (expected one)`] : [];
  for (const instance of instances) {
    for (const check of instance.checks.filter((c) => c.status !== "passing")) {
      const output = oneLine(check.output);
      problems.push(`${service}: check "${check.name}" is ${check.status}${output === "" ? "" : ` (${output})`}`);
    }
  }
  return problems;
}

/** Consul's view of one host: each Fabio's service registered once, every check passing. */
export function fabioServicesCheck(model: StackModel, host: Host, consul: ConsulView): CheckResult {
  const jobs = FABIO_ROLES.map((role) => model.fabios[role].name);
  const problems = FABIO_ROLES.flatMap((role) =>
    instanceProblems(
      model.fabios[role].name,
      consul.fabio[role].filter((instance) => instance.node === host.name),
    ),
  );
  const verdict =
    problems.length === 0 ? pass(`${jobs.join(", ")} registered, checks passing`) : fail(problems.join("; "));
  return { check: FABIO_SERVICES_CHECK, host: hostLabel(host), ...verdict };
}

/** Nomad's view of one selected node: one running allocation of each Fabio system job. */
export function fabioAllocationsCheck(model: StackModel, host: Host, nodeId: string, nomad: NomadView): CheckResult {
  const problems: string[] = [];
  for (const role of FABIO_ROLES) {
    const job = model.fabios[role].name;
    const allocations = nomad.allocations[role];
    if (!Array.isArray(allocations)) {
      problems.push(`${job}: ${allocations.error}`);
      continue;
    }
    const here = allocations.filter((a) => a.NodeID === nodeId && a.DesiredStatus === "run");
    const running = here.filter((a) => a.ClientStatus === "running");
    if (running.length === 1) continue;
    if (running.length > 1) problems.push(`${job}: ${running.length} running allocations (expected one)`);
    else if (here.length === 0) problems.push(`${job}: no allocation on this node`);
    else problems.push(`${job}: allocation ${here.map((a) => `${a.ID.slice(0, 8)} is ${a.ClientStatus}`).join(", ")}`);
  }
  const jobs = FABIO_ROLES.map((role) => model.fabios[role].name);
  const verdict = problems.length === 0 ? pass(`${jobs.join(", ")} running`) : fail(problems.join("; "));
  return { check: FABIO_ALLOCATIONS_CHECK, host: hostLabel(host), ...verdict };
}

/**
 * A NameServer-index service: every instance's checks pass (the index Fabio routes only to those), named
 * by node so the operator knows where to look.
 */
export function indexServiceCheck(service: IndexService): CheckResult {
  const problems: string[] = [];
  for (const instance of service.instances) {
    for (const check of instance.checks.filter((c) => c.status !== "passing")) {
      const output = oneLine(check.output);
      problems.push(
        `on ${instance.node} (${instance.address}:${instance.port}) check "${check.name}" is ${check.status}${output === "" ? "" : ` (${output})`}`,
      );
    }
  }
  const subgroups = service.subgroups.join(", ");
  const verdict =
    service.instances.length === 0
      ? fail(`no instance registered for subgroup(s) ${subgroups}`)
      : problems.length === 0
        ? pass(`${service.instances.length} instance(s) passing, subgroup(s) ${subgroups}`)
        : fail(problems.join("; "));
  return { check: indexServiceCheckName(service.name), host: "consul", ...verdict };
}
