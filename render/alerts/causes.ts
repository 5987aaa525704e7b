// One cause, one alert: what a whole healthy stack reports, one failure injected, and the exact set of alerts
// that must fire. The rule tests check every alert of the stack at every step, so any other alert firing fails.
import { FABIO_ROLES, type FabioRole } from "../../config";
import type { StackModel } from "../../model";
import { SCRAPE_JOBS } from "../prometheus-config";
import type { ExpectedFiring, Labels } from "./definition";
import { repeat, seriesOf } from "./scenarios";

export interface Cause {
  /** What went wrong, as a sentence. */
  name: string;
  series: { series: string; values: string }[];
  /** The alerts that must fire at `at`, by alert name; every other alert of the stack must be silent. */
  expect: { at: string; firing: Record<string, ExpectedFiring[]> }[];
}

/** Minutes every timeline covers. */
const MINUTES = 20;
/** NameServer hosts in the scenarios: enough that one lost is not all lost. */
const HOSTS = 3;

const steady = (series: string, value = "1") => ({ series, values: repeat(value, MINUTES) });

function fabioTarget(model: StackModel, role: FabioRole, host: number): Labels {
  return {
    job: SCRAPE_JOBS.fabio,
    instance: `10.0.1.${host}:${model.fabios[role].ports.metrics}`,
    cluster: model.config.clusterName,
    service: model.fabios[role].metricsService,
  };
}

/** A target of the healthy stack: its scrape job's labels and the series it reports besides `up`. */
interface HealthyTarget {
  labels: Labels;
  series: { metric: string; value: string }[];
}

function nomadServer(model: StackModel, i: number): Labels {
  return { job: SCRAPE_JOBS.nomadServers, instance: `10.0.0.${i}:4646`, cluster: model.config.clusterName };
}

function consulServer(model: StackModel, i: number): Labels {
  return { job: SCRAPE_JOBS.consulServers, instance: `10.0.0.${i}:8500`, cluster: model.config.clusterName };
}

/** Every target a healthy stack has: server 1 of each server cluster leads. */
function healthyTargets(model: StackModel): HealthyTarget[] {
  const cfg = model.config;
  const cluster = cfg.clusterName;
  const count = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const prometheus = { job: SCRAPE_JOBS.prometheus, instance: "10.0.0.9:25000", cluster };
  return [
    ...count(cfg.images.nomadServer.bootstrapExpect).map((i) => ({
      labels: nomadServer(model, i),
      series: i === 1 ? [{ metric: "nomad_nomad_autopilot_healthy", value: "1" }] : [],
    })),
    ...count(cfg.images.consulServer.bootstrapExpect).map((i) => ({
      labels: consulServer(model, i),
      series: [{ metric: "consul_server_isLeader", value: i === 1 ? "1" : "0" }],
    })),
    ...count(HOSTS).map((i) => ({
      labels: { job: SCRAPE_JOBS.nomadClients, instance: `10.0.1.${i}:4646`, cluster },
      series: [],
    })),
    { labels: prometheus, series: [{ metric: "prometheus_config_last_reload_successful", value: "1" }] },
    ...FABIO_ROLES.flatMap((role) =>
      count(HOSTS).map((host) => ({ labels: fabioTarget(model, role, host), series: [] })),
    ),
  ];
}

/** Every series a healthy stack reports, except those of the targets `skip` leaves to the cause. */
function healthyStack(model: StackModel, skip: (target: Labels) => boolean) {
  return healthyTargets(model)
    .filter((target) => !skip(target.labels))
    .flatMap((target) => [
      steady(seriesOf("up", target.labels)),
      ...target.series.map(({ metric, value }) => steady(seriesOf(metric, target.labels), value)),
    ]);
}

const sameTarget = (a: Labels) => (b: Labels) => a.job === b.job && a.instance === b.instance;

/** Deregistered at minute 3; Prometheus keeps a vanished target's last sample for 5 minutes. */
const LEAVES = `${repeat("1", 3)} ${repeat("_", 12)} ${repeat("1", MINUTES - 15)}`;
/** Down from minute 2 for 12 minutes, then up again. */
const STOPS_ANSWERING = `${repeat("1", 2)} ${repeat("0", 12)} ${repeat("1", MINUTES - 14)}`;

/** The alert names the Fabio alerts of a role go by (render/alerts/fabio.ts). */
const FABIO_ALERT_STEM: Record<FabioRole, string> = {
  nameServerIndex: "NameServerIndexFabio",
  prometheus: "PrometheusFabio",
};

/** A stopped Fabio, every way it can stop, for each of the two Fabios. */
export function fabioStopCauses(model: StackModel): Cause[] {
  return FABIO_ROLES.flatMap((role): Cause[] => {
    const jobName = model.fabios[role].name;
    const stem = FABIO_ALERT_STEM[role];
    const lost = fabioTarget(model, role, HOSTS);
    const quiet = (at: string) => ({ at, firing: {} });
    return [
      {
        name: `one host's ${jobName} is stopped (its service leaves Consul) while the other hosts' run`,
        series: [...healthyStack(model, sameTarget(lost)), { series: seriesOf("up", lost), values: LEAVES }],
        expect: [
          quiet("2m"),
          quiet("7m"),
          { at: "12m", firing: { [`${stem}HostMissing`]: [{ labels: {}, value: HOSTS - 1 }] } },
          quiet("17m"),
        ],
      },
      {
        name: `one host's ${jobName} stops answering while still registered`,
        series: [
          ...healthyStack(model, sameTarget(lost)),
          // Down for 12 minutes: longer than TargetDown's for:, which must still stay silent.
          { series: seriesOf("up", lost), values: STOPS_ANSWERING },
        ],
        expect: [
          quiet("1m"),
          { at: "5m", firing: { FabioDown: [{ labels: lost, value: 0 }] } },
          { at: "13m", firing: { FabioDown: [{ labels: lost, value: 0 }] } },
          quiet("17m"),
        ],
      },
      {
        name: `every host's ${jobName} is stopped`,
        series: [
          ...healthyStack(model, (target) => target.service === lost.service),
          ...Array.from({ length: HOSTS }, (_, i) => ({
            series: seriesOf("up", fabioTarget(model, role, i + 1)),
            values: LEAVES,
          })),
        ],
        expect: [
          quiet("2m"),
          quiet("7m"),
          {
            at: "12m",
            firing: { [`${stem}Missing`]: [{ labels: { job: lost.job!, service: lost.service! }, value: 1 }] },
          },
          quiet("17m"),
        ],
      },
    ];
  });
}

/**
 * One follower server lost, each way it can be lost, for Nomad and Consul: a registered server that does not
 * answer is its *ServerDown alone, a server gone from Consul its *ServersMissing alone. Only where the cluster
 * has followers (bootstrap_expect above 1): a lone server lost is also the leader lost.
 */
export function serverLossCauses(model: StackModel): Cause[] {
  const products = [
    { product: "Nomad", expected: model.config.images.nomadServer.bootstrapExpect, server: nomadServer },
    { product: "Consul", expected: model.config.images.consulServer.bootstrapExpect, server: consulServer },
  ];
  return products
    .filter(({ expected }) => expected > 1)
    .flatMap(({ product, expected, server }): Cause[] => {
      const follower = server(model, expected);
      const quiet = (at: string) => ({ at, firing: {} });
      // Every series the follower reports (Consul's isLeader 0 besides `up`) leaves with its target.
      const leavingSeries = healthyTargets(model)
        .filter((target) => sameTarget(follower)(target.labels))
        .flatMap((target) =>
          [{ metric: "up", value: "1" }, ...target.series].map(({ metric, value }) => ({
            series: seriesOf(metric, target.labels),
            values: LEAVES.split(" ")
              .map((sample) => (sample === "_" ? sample : value))
              .join(" "),
          })),
        );
      return [
        {
          name: `one ${product} follower stops answering while still registered`,
          series: [
            ...healthyStack(model, sameTarget(follower)),
            { series: seriesOf("up", follower), values: STOPS_ANSWERING },
          ],
          expect: [
            quiet("1m"),
            { at: "5m", firing: { [`${product}ServerDown`]: [{ labels: follower, value: 0 }] } },
            quiet("17m"),
          ],
        },
        {
          name: `one ${product} follower leaves Consul`,
          series: [...healthyStack(model, sameTarget(follower)), ...leavingSeries],
          expect: [
            quiet("2m"),
            quiet("5m"),
            { at: "12m", firing: { [`${product}ServersMissing`]: [{ labels: {}, value: expected - 1 }] } },
            quiet("17m"),
          ],
        },
      ];
    });
}

/** Every cause the rule tests replay against the whole rule file. */
export function alertCauses(model: StackModel): Cause[] {
  return [...fabioStopCauses(model), ...serverLossCauses(model)];
}
