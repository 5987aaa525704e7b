// Alerts on scrape targets: one target down, or fewer targets registered than there must be.
import type { StackConfig } from "../../config";
import { SCRAPE_JOBS } from "../prometheus-config";
import { regexQuote } from "../regex";
import {
  SERVER_ALERTS_FOR,
  type AlertDefinition,
  type Annotations,
  type AnnotationContext,
  type Labels,
  type Severity,
} from "./definition";
import { targetGoesDown, targetLeavesDiscovery } from "./scenarios";

export interface TargetDownArgs {
  alert: string;
  /** The scrape job watched; undefined watches every job. */
  job: string | undefined;
  for: string;
  severity: Severity;
  annotations: (context: AnnotationContext) => Annotations;
  /** The labels of a target the rule tests take down (a target of `job` when it is set). */
  example: Labels;
}

/** A target that is discovered but does not answer its scrape. */
export function targetDown(args: TargetDownArgs): AlertDefinition {
  return {
    alert: args.alert,
    expr: args.job === undefined ? "up == 0" : `up{job="${args.job}"} == 0`,
    for: args.for,
    labels: { severity: args.severity },
    annotations: args.annotations,
    scenarios: [targetGoesDown(args.example, args.for)],
    ...(args.job === undefined ? {} : { downJob: args.job }),
  };
}

export type ServerProduct = "Nomad" | "Consul";

/** A server that does not answer its scrape. */
export function serverDown(product: ServerProduct, job: string, cluster: string): AlertDefinition {
  return targetDown({
    alert: `${product}ServerDown`,
    job,
    for: SERVER_ALERTS_FOR,
    severity: "critical",
    annotations: ({ label }) => ({
      summary: `${product} server ${label("instance")} is down`,
      description: `Prometheus could not scrape the ${product} server ${label("instance")} for ${SERVER_ALERTS_FOR}.`,
    }),
    example: { job, instance: "10.0.0.1:1234", cluster },
  });
}

/**
 * A server that leaves Consul (agent stopped, node gone) takes its target with it, so `up == 0` never
 * sees it: this compares the servers registered with the number the cluster was built for. It counts
 * registered targets, not answering ones: a registered server that does not answer is `<product>ServerDown`'s,
 * and one cause raises one alert.
 */
export function serversMissing(
  product: ServerProduct,
  job: string,
  expected: number,
  cluster: string,
): AlertDefinition {
  const forDuration = SERVER_ALERTS_FOR;
  return {
    alert: `${product}ServersMissing`,
    expr: `(count(up{job="${job}"}) or vector(0)) < ${expected}`,
    for: forDuration,
    labels: { severity: "critical" },
    annotations: ({ value }) =>
      expected === 1
        ? {
            summary: `No ${product} server is registered`,
            description: `The ${product} server (bootstrap_expect = 1) has not been registered in Consul for ${forDuration}.`,
          }
        : {
            summary: `Fewer than ${expected} ${product} servers are registered`,
            description: `${product} servers registered in Consul: ${value()} of ${expected} (bootstrap_expect).`,
          },
    scenarios: [
      targetLeavesDiscovery((i) => ({ job, instance: `10.0.1.${i}:1234`, cluster }), expected, {
        forDuration,
        firingValue: expected - 1,
      }),
    ],
  };
}

/**
 * Any scrape target down for the stack's `prometheus.targetDownFor`: the catch-all for the jobs no specific
 * alert watches. `covered` are the specific alerts; their jobs are left out, so one down target raises one alert.
 */
export function anyTargetDown(cfg: StackConfig, covered: readonly AlertDefinition[]): AlertDefinition {
  const targetDownFor = cfg.prometheus.targetDownFor;
  const jobs = [...new Set(covered.flatMap((d) => (d.downJob === undefined ? [] : [d.downJob].flat())))].sort();
  const example = { job: SCRAPE_JOBS.nomadClients, instance: "10.0.0.1:1234", cluster: cfg.clusterName };
  if (jobs.includes(example.job)) throw new Error(`TargetDown's rule test needs a job no other alert covers`);
  const catchAll = targetDown({
    alert: "TargetDown",
    job: undefined,
    for: targetDownFor,
    severity: "warning",
    annotations: ({ label }) => ({
      summary: `Scrape target ${label("instance")} of job ${label("job")} is down`,
      description: `${label("job")} target ${label("instance")} has been down for ${targetDownFor}.`,
    }),
    example,
  });
  if (jobs.length === 0) return catchAll;
  const escaped = jobs.map(regexQuote);
  return { ...catchAll, expr: `up{job!~"${escaped.join("|")}"} == 0` };
}
