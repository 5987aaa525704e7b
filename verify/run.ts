// Runs every check of a deployed stack, in order, reporting each result as it is known.
import type { StackModel } from "../model";
import { nameServerIndexPatterns } from "../render";
import { discoverConsul, discoverNomad, getJson, type Api } from "./discover";
import {
  fabioAllocationsCheck,
  fabioServicesCheck,
  FABIO_ALLOCATIONS_CHECK,
  indexServiceCheck,
  nameServerHosts,
} from "./host-checks";
import type { HttpClient } from "./http";
import { byListener } from "./by-listener";
import { lookupSubgroupsOfAnyPrefix, misTaggedCheck, misTaggedServices } from "./mis-tagged";
import {
  agentChecks,
  alertDeliveryCheck,
  alertsCheck,
  prometheusCheckNames,
  prometheusUnreachable,
  rulesCheck,
  scrapeJobChecks,
} from "./prometheus-checks";
import { hostProbes, PROMETHEUS_READY_CHECK, prometheusUrl } from "./probes";
import { prometheusAlertmanagers, prometheusAlerts, prometheusRules, prometheusTargets } from "./responses";
import { fail, hostLabel, pass, skip, type CheckResult, type Host } from "./result";
import type { ConsulView, NomadView } from "./views";

export const CONSUL_API_CHECK = "consul api";
export const NOMAD_API_CHECK = "nomad api";
export const HOSTS_CHECK = "nameserver hosts";
export const INDEX_SERVICES_CHECK = "index services";
export const PROMETHEUS_API_CHECK = "prometheus api";

/**
 * Requests through the hosts' Fabios in flight at once, one per listener: a listener that does not answer holds up
 * only itself, for one request timeout (its other checks are then not run).
 */
export const PARALLEL_REQUESTS = 8;

export interface VerifyTarget {
  model: StackModel;
  client: HttpClient;
  consul: Api;
  /** Set when NOMAD_ADDR is: Nomad's view of the hosts and allocations is checked too. */
  nomad?: Api;
  /** Called with each result as soon as it is known (progress output). */
  onResult?: (result: CheckResult) => void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function verifyStack(target: VerifyTarget): Promise<CheckResult[]> {
  const { model, client } = target;
  const results: CheckResult[] = [];
  const record = (result: CheckResult) => {
    results.push(result);
    target.onResult?.(result);
  };

  let consul;
  try {
    consul = await discoverConsul(model, client, target.consul);
  } catch (err) {
    record({ check: CONSUL_API_CHECK, host: target.consul.url, ...fail(message(err)) });
    return results; // without Consul there is nothing to find the hosts by
  }
  const fabioCount = consul.fabio.nameServerIndex.length + consul.fabio.prometheus.length;
  record({ check: CONSUL_API_CHECK, host: target.consul.url, ...pass(`${fabioCount} Fabio service instance(s)`) });

  let nomad: NomadView | undefined;
  if (target.nomad !== undefined) {
    try {
      nomad = await discoverNomad(model, client, target.nomad);
      record({ check: NOMAD_API_CHECK, host: target.nomad.url, ...pass(`${nomad.selected.length} node(s) selected`) });
    } catch (err) {
      record({ check: NOMAD_API_CHECK, host: target.nomad.url, ...fail(message(err)) });
    }
  }

  const hosts = nameServerHosts(consul, nomad);
  if (hosts.length === 0) {
    const jobs = `${model.fabios.nameServerIndex.name} / ${model.fabios.prometheus.name}`;
    record({ check: HOSTS_CHECK, host: "consul", ...fail(`no node runs ${jobs}`) });
  }
  for (const host of hosts) {
    record(fabioServicesCheck(model, host, consul));
    if (nomad === undefined) continue;
    const node = nomad.selected.find((n) => n.Name === host.name);
    if (node !== undefined) record(fabioAllocationsCheck(model, host, node.ID, nomad));
    else {
      const detail = "Nomad lists no ready node of this name that nameServerHosts selects";
      record({ check: FABIO_ALLOCATIONS_CHECK, host: hostLabel(host), ...fail(detail) });
    }
  }

  if (consul.indexServices.length === 0) {
    const { serviceTag: tag } = nameServerIndexPatterns(
      model.nameServerIndexStack,
      model.fabios.nameServerIndex.ports.proxy,
    );
    record({ check: INDEX_SERVICES_CHECK, host: "consul", ...skip(`no service carries a ${tag} tag yet`) });
  }
  for (const service of consul.indexServices) record(indexServiceCheck(service));

  for (const misTagged of misTaggedServices(model, consul.services)) record(misTaggedCheck(model, misTagged));

  const subgroups = [...new Set(consul.indexServices.flatMap((s) => s.subgroups))].sort();
  const leakSubgroups = [...new Set([...subgroups, ...lookupSubgroupsOfAnyPrefix(consul.services)])].sort();
  const probed = await byListener(
    hostProbes(model, hosts, subgroups, leakSubgroups),
    PARALLEL_REQUESTS,
    {
      listener: (probe) => probe.listener,
      run: async (probe) => {
        const answer = await client.get(probe.url);
        return { result: { check: probe.check, host: probe.host, ...probe.judge(answer) }, answered: answer.ok };
      },
      notRun: (probe, cause): CheckResult => ({
        check: probe.check,
        host: probe.host,
        ...skip(`not run (because ${cause.check} got no answer from ${cause.listener})`),
      }),
    },
    record,
  );
  const readyLabel = probed.find((r) => r.check === PROMETHEUS_READY_CHECK && r.result === "pass")?.host;
  const via = hosts.find((h) => hostLabel(h) === readyLabel);
  if (via === undefined) {
    record({ check: PROMETHEUS_API_CHECK, host: "-", ...fail(prometheusUnreachable(model, consul.prometheus)) });
    for (const check of prometheusCheckNames(model)) {
      record({ check, host: "prometheus", ...skip(`not run (because ${PROMETHEUS_API_CHECK} failed)`) });
    }
    return results;
  }
  const nomadOrWhy = nomad ?? {
    skipped: target.nomad === undefined ? "NOMAD_ADDR is not set" : `the Nomad API failed (see ${NOMAD_API_CHECK})`,
  };
  await checkPrometheus(target, consul, nomadOrWhy, via, record);
  return results;
}

/** Targets, agents, rules and alerts, through one host's Prometheus Fabio (they all reach the same Prometheus). */
async function checkPrometheus(
  { model, client }: VerifyTarget,
  consul: ConsulView,
  nomad: NomadView | { skipped: string },
  host: Host,
  record: (result: CheckResult) => void,
): Promise<void> {
  const via = `prometheus via ${hostLabel(host)}`;
  const api: Api = { url: prometheusUrl(model, host, ""), headers: {} };
  try {
    const targets = (await getJson(client, api, "/api/v1/targets?state=active", prometheusTargets)).data.activeTargets;
    scrapeJobChecks(model, targets, via, consul.indexServices.length > 0).forEach(record);
    agentChecks(consul.servers, nomad, targets, via).forEach(record);
  } catch (err) {
    record({ check: PROMETHEUS_API_CHECK, host: via, ...fail(message(err)) });
  }
  try {
    record(
      rulesCheck(model, (await getJson(client, api, "/api/v1/rules?type=alert", prometheusRules)).data.groups, via),
    );
  } catch (err) {
    record({ check: PROMETHEUS_API_CHECK, host: via, ...fail(message(err)) });
  }
  try {
    record(alertsCheck((await getJson(client, api, "/api/v1/alerts", prometheusAlerts)).data.alerts, via));
  } catch (err) {
    record({ check: PROMETHEUS_API_CHECK, host: via, ...fail(message(err)) });
  }
  try {
    const delivers = model.config.prometheus.alerting.delivery !== "none";
    const active = delivers
      ? (await getJson(client, api, "/api/v1/alertmanagers", prometheusAlertmanagers)).data.activeAlertmanagers
      : undefined;
    record(alertDeliveryCheck(model, active, via));
  } catch (err) {
    record({ check: PROMETHEUS_API_CHECK, host: via, ...fail(message(err)) });
  }
}
