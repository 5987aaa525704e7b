// Pure checks of what Prometheus reports through its Fabio: targets per scrape job, rules, alerts, agents.
import type { StackModel } from "../model";
import {
  alertDeliveryLine,
  alertRules,
  lookupProbeInputs,
  nameServerIndexMarkerTag,
  nameServerIndexTag,
  prometheusConfig,
  SCRAPE_JOBS,
  type ScrapeConfig,
} from "../render";
import { fail, pass, skip, type CheckResult, type Verdict } from "./result";
import type { ActiveAlertmanager, ActiveTarget, Alert, RuleGroup } from "./responses";
import { hostOf, type NomadView, type ServiceInstance } from "./views";

export const scrapeJobCheckName = (job: string) => `scrape job ${job}`;
export const RULES_CHECK = "alert rules";
export const ALERTS_CHECK = "alerts firing";
export const CONSUL_AGENTS_CHECK = "consul servers scraped";
export const NOMAD_AGENTS_CHECK = "nomad agents scraped";
export const ALERT_DELIVERY_CHECK = "alert delivery";

const instanceOf = (target: ActiveTarget) => target.labels.instance ?? target.labels.__address__ ?? "?";

/** Where a scrape job finds its targets, as an operator would look them up. */
export function discoveryOf(model: StackModel, scrape: ScrapeConfig): string {
  if (scrape.job_name === SCRAPE_JOBS.nameServerLookups) {
    const inputs = lookupProbeInputs(model);
    const stack = inputs.indexStack;
    return `hosts: Consul service "${inputs.indexFabioService}" with tag "${inputs.clusterTag}"; subgroups: services tagged "${nameServerIndexMarkerTag(stack, "SUBGROUP").replace("SUBGROUP", "<subgroup>")}" or "${nameServerIndexTag(stack, "SUBGROUP").replace("SUBGROUP", "<subgroup>")}"`;
  }
  const described = (scrape.consul_sd_configs ?? []).map((sd) => {
    const tags = (sd.tags ?? []).map((tag) => `"${tag}"`).join(", ");
    const services =
      sd.services === undefined
        ? "any Consul service"
        : `Consul service ${sd.services.map((s) => `"${s}"`).join(", ")}`;
    return tags === "" ? services : `${services} with tag ${tags}`;
  });
  return described.join("; ");
}

/** The checks `checkPrometheus` records, by name: what is "not run" when Prometheus cannot be reached. */
export function prometheusCheckNames(model: StackModel): string[] {
  return [
    ...prometheusConfig(model).scrape_configs.map(({ job_name }) => scrapeJobCheckName(job_name)),
    CONSUL_AGENTS_CHECK,
    NOMAD_AGENTS_CHECK,
    RULES_CHECK,
    ALERTS_CHECK,
  ];
}

/** Why no host's Prometheus Fabio answered, as far as Consul can tell. */
export function prometheusUnreachable(model: StackModel, instances: ServiceInstance[]): string {
  const what = `service "${model.prometheus.name}" with tag "${model.prometheus.routeTag}"`;
  const head = "no host's Prometheus Fabio answered /-/ready";
  if (instances.length === 0)
    return `${head}; Consul has no instance of ${what}: Prometheus is not running or not registered`;
  const passing = instances.filter((i) => i.checks.every((c) => c.status === "passing"));
  if (passing.length === 0) {
    const failing = instances.flatMap((i) =>
      i.checks.filter((c) => c.status !== "passing").map((c) => `${i.node}: "${c.name}" is ${c.status}`),
    );
    return `${head}; Consul has no passing instance of ${what} (${failing.join("; ")})`;
  }
  return `${head}, though Consul has ${passing.length} passing instance(s) of ${what} (${passing.map((i) => `${i.address}:${i.port}`).join(", ")}): the Prometheus Fabios do not route to it`;
}

/**
 * Every scrape job the rendered config defines has a target, and every target is up. The lookup probe jobs have
 * targets only once a NameServer-index service exists (`hasIndexServices`).
 */
export function scrapeJobChecks(
  model: StackModel,
  targets: ActiveTarget[],
  via: string,
  hasIndexServices: boolean,
): CheckResult[] {
  const probeJobs: string[] = [SCRAPE_JOBS.nameServerLookups, SCRAPE_JOBS.nameServerIndexServices];
  return prometheusConfig(model).scrape_configs.map((scrape) => {
    const job = scrape.job_name;
    const mine = targets.filter((t) => t.scrapePool === job);
    // "unknown": discovered but not scraped yet (a cluster registered a moment ago); the next scrape decides.
    const down = mine.filter((t) => t.health !== "up" && t.health !== "unknown");
    const unscraped = mine.filter((t) => t.health === "unknown").length;
    const verdict: Verdict =
      mine.length === 0 && !hasIndexServices && probeJobs.includes(job)
        ? skip("no NameServer-index service yet, so nothing to probe")
        : mine.length === 0
          ? fail(`no target discovered (looked for ${discoveryOf(model, scrape)})`)
          : down.length > 0
            ? fail(
                down
                  .map((t) => `${instanceOf(t)} is ${t.health}${t.lastError === "" ? "" : ` (${t.lastError})`}`)
                  .join("; "),
              )
            : pass(`${mine.length - unscraped} target(s) up${unscraped === 0 ? "" : `, ${unscraped} not scraped yet`}`);
    return { check: scrapeJobCheckName(job), host: via, ...verdict };
  });
}

/** Every rule group and alert of the rendered rule file is loaded, and none failed to evaluate. */
export function rulesCheck(model: StackModel, groups: RuleGroup[], via: string): CheckResult {
  const problems: string[] = [];
  let count = 0;
  for (const expected of alertRules(model).groups) {
    const loaded = groups.find((g) => g.name === expected.name);
    if (loaded === undefined) {
      problems.push(`group ${expected.name} is not loaded`);
      continue;
    }
    for (const rule of expected.rules) {
      const found = loaded.rules.find((r) => r.name === rule.alert);
      count += 1;
      if (found === undefined) problems.push(`${rule.alert} is not loaded`);
      else if (found.health === "err") problems.push(`${rule.alert} fails to evaluate (${found.lastError})`);
    }
  }
  const verdict = problems.length === 0 ? pass(`${count} alert rule(s) loaded`) : fail(problems.join("; "));
  return { check: RULES_CHECK, host: via, ...verdict };
}

/** A firing alert fails the check; pending ones are listed. */
export function alertsCheck(alerts: Alert[], via: string): CheckResult {
  const describe = (a: Alert) =>
    `${a.labels.alertname ?? "?"}${a.labels.instance === undefined ? "" : ` (${a.labels.instance})`}`;
  const firing = alerts.filter((a) => a.state === "firing").map(describe);
  const pending = alerts.filter((a) => a.state === "pending").map(describe);
  const parts = [
    ...(firing.length > 0 ? [`firing: ${firing.join(", ")}`] : []),
    ...(pending.length > 0 ? [`pending: ${pending.join(", ")}`] : []),
  ];
  const verdict = firing.length > 0 ? fail(parts.join("; ")) : pass(parts.length > 0 ? parts.join("; ") : "none");
  return { check: ALERTS_CHECK, host: via, ...verdict };
}

/**
 * Where alerts go, and when the stack delivers them, that Prometheus has at least one Alertmanager to send to.
 * `alertmanagers` is undefined when delivery is off (nothing was asked).
 */
export function alertDeliveryCheck(
  model: StackModel,
  alertmanagers: ActiveAlertmanager[] | undefined,
  via: string,
): CheckResult {
  const where = alertDeliveryLine(model.config.prometheus.alerting, model.clusterTag);
  const verdict: Verdict =
    alertmanagers === undefined
      ? skip(where)
      : alertmanagers.length === 0
        ? fail(`Prometheus has no active Alertmanager; ${where}`)
        : pass(
            `${alertmanagers.length} active Alertmanager(s) (${alertmanagers.map((a) => a.url).join(", ")}); ${where}`,
          );
  return { check: ALERT_DELIVERY_CHECK, host: via, ...verdict };
}

/** The addresses a scrape job's targets are at. */
function targetHosts(targets: ActiveTarget[], job: string): Set<string> {
  return new Set(targets.filter((t) => t.scrapePool === job).map((t) => hostOf(instanceOf(t))));
}

function agentsVerdict(what: string, expected: string[], scraped: Set<string>): Verdict {
  const missing = [...new Set(expected)].filter((address) => !scraped.has(address));
  if (expected.length === 0) return fail(`no ${what} known`);
  return missing.length === 0
    ? pass(`${new Set(expected).size} ${what} scraped`)
    : fail(`${what} not a scrape target: ${missing.join(", ")}`);
}

/**
 * Every Consul server (Raft peer) is a target of the consul-servers job: one that is not was built without
 * the consul_http service or its telemetry. Likewise every Nomad server and client, when Nomad answered
 * (otherwise `skipped` says why that part did not run).
 */
export function agentChecks(
  consulServers: string[],
  nomad: NomadView | { skipped: string },
  targets: ActiveTarget[],
  via: string,
): CheckResult[] {
  const consul: CheckResult = {
    check: CONSUL_AGENTS_CHECK,
    host: via,
    ...agentsVerdict("Consul server(s)", consulServers, targetHosts(targets, SCRAPE_JOBS.consulServers)),
  };
  if ("skipped" in nomad) return [consul, { check: NOMAD_AGENTS_CHECK, host: via, ...skip(nomad.skipped) }];
  const servers = agentsVerdict("Nomad server(s)", nomad.servers, targetHosts(targets, SCRAPE_JOBS.nomadServers));
  const clients = agentsVerdict(
    "Nomad client(s)",
    nomad.clients.map((node) => node.Address),
    targetHosts(targets, SCRAPE_JOBS.nomadClients),
  );
  const verdict: Verdict =
    servers.result === "pass" && clients.result === "pass"
      ? pass(`${servers.detail}, ${clients.detail}`)
      : fail(
          [servers, clients]
            .filter((v) => v.result !== "pass")
            .map((v) => v.detail)
            .join("; "),
        );
  return [consul, { check: NOMAD_AGENTS_CHECK, host: via, ...verdict }];
}
