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

/** Every series a healthy stack reports, except the Fabio targets `skip` leaves to the cause. */
function healthyStack(model: StackModel, skip: (role: FabioRole, host: number) => boolean) {
  const cfg = model.config;
  const cluster = cfg.clusterName;
  const hosts = Array.from({ length: HOSTS }, (_, i) => i + 1);
  const servers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const nomadServer = (i: number) => ({ job: SCRAPE_JOBS.nomadServers, instance: `10.0.0.${i}:4646`, cluster });
  const consulServer = (i: number) => ({ job: SCRAPE_JOBS.consulServers, instance: `10.0.0.${i}:8500`, cluster });
  const prometheus = { job: SCRAPE_JOBS.prometheus, instance: "10.0.0.9:25000", cluster };
  return [
    ...servers(cfg.images.nomadServer.bootstrapExpect).map((i) => steady(seriesOf("up", nomadServer(i)))),
    steady(seriesOf("nomad_nomad_autopilot_healthy", nomadServer(1))),
    ...servers(cfg.images.consulServer.bootstrapExpect).flatMap((i) => [
      steady(seriesOf("up", consulServer(i))),
      steady(seriesOf("consul_server_isLeader", consulServer(i)), i === 1 ? "1" : "0"),
    ]),
    ...hosts.map((i) =>
      steady(seriesOf("up", { job: SCRAPE_JOBS.nomadClients, instance: `10.0.1.${i}:4646`, cluster })),
    ),
    steady(seriesOf("up", prometheus)),
    steady(seriesOf("prometheus_config_last_reload_successful", prometheus)),
    ...FABIO_ROLES.flatMap((role) =>
      hosts.filter((host) => !skip(role, host)).map((host) => steady(seriesOf("up", fabioTarget(model, role, host)))),
    ),
  ];
}

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
    // Deregistered at minute 3 (Nomad stopped the allocation); Prometheus keeps its last sample for 5 minutes.
    const leaves = `${repeat("1", 3)} ${repeat("_", 12)} ${repeat("1", MINUTES - 15)}`;
    const quiet = (at: string) => ({ at, firing: {} });
    return [
      {
        name: `one host's ${jobName} is stopped (its service leaves Consul) while the other hosts' run`,
        series: [
          ...healthyStack(model, (r, h) => r === role && h === HOSTS),
          { series: seriesOf("up", lost), values: leaves },
        ],
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
          ...healthyStack(model, (r, h) => r === role && h === HOSTS),
          // Down from minute 2 for 12 minutes: longer than TargetDown's for:, which must still stay silent.
          { series: seriesOf("up", lost), values: `${repeat("1", 2)} ${repeat("0", 12)} ${repeat("1", MINUTES - 14)}` },
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
          ...healthyStack(model, (r) => r === role),
          ...Array.from({ length: HOSTS }, (_, i) => ({
            series: seriesOf("up", fabioTarget(model, role, i + 1)),
            values: leaves,
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

/** Every cause the rule tests replay against the whole rule file. */
export function alertCauses(model: StackModel): Cause[] {
  return fabioStopCauses(model);
}
