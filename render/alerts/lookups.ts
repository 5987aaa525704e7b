// Alerts on what RocketMQ clients see: the NameServer lookup probes (docs/lookup-probes.md). One cause raises one
// alert: each expression leaves out what a wider alert already covers (a service with no passing instance, a
// subgroup failing on every host, a host whose index Fabio is down, the prober itself down).
import { prometheusDurationMs } from "../../config/durations";
import type { StackModel } from "../../model";
import { LOOKUP_SCRAPE_JOBS } from "../lookup-probes";
import type { AlertDefinition, Labels } from "./definition";
import { repeat, seriesOf } from "./scenarios";

const LOOKUPS = LOOKUP_SCRAPE_JOBS.nameServerLookups;
const INSTANCES = LOOKUP_SCRAPE_JOBS.nameServerIndexServices;
const FABIO_JOB = "fabio";

/** Series selectors and sub-expressions the lookup alerts share. */
export interface LookupAlertInputs {
  clusterName: string;
  /** The index Fabio's metrics service, as the `service` label of its `fabio` scrape targets. */
  indexFabioMetricsService: string;
  /** `prometheus.lookupProbes.slowAfter` in seconds. */
  slowAfterSeconds: number;
  /** The same, as the stack file writes it. */
  slowAfter: string;
}

export function lookupAlertInputs(model: StackModel): LookupAlertInputs {
  const { slowAfter } = model.config.prometheus.lookupProbes;
  return {
    clusterName: model.config.clusterName,
    indexFabioMetricsService: model.fabios.nameServerIndex.metricsService,
    slowAfterSeconds: prometheusDurationMs(slowAfter) / 1000,
    slowAfter,
  };
}

const probeSuccess = `probe_success{job="${LOOKUPS}"}`;

/** Services (per cluster) with instances in Consul, none of them passing. */
const servicesWithoutPassingInstance =
  `count by (cluster, service) (up{job="${INSTANCES}"})` +
  ` unless count by (cluster, service) (up{job="${INSTANCES}",health="passing"})`;

/** Subgroups whose lookup fails on every host probed. */
const failingOnEveryHost = `max by (cluster, subgroup, service) (${probeSuccess}) == 0`;

/** Scenario helpers: a probe target of subgroup `nsaddr-<x>` (service `rocketmq-<x>`) on host `ns-<i>`. */
function probeLabels(cluster: string, i: number, x = "a"): Labels {
  return {
    job: LOOKUPS,
    instance: `http://10.0.1.${i}:8080/rocketmq/nsaddr-${x}`,
    host: `ns-${i}`,
    subgroup: `nsaddr-${x}`,
    service: `rocketmq-${x}`,
    cluster,
  };
}

function instanceLabels(cluster: string, i: number, health: string, x = "a"): Labels {
  return { job: INSTANCES, instance: `10.0.3.${i}:9876`, service: `rocketmq-${x}`, health, host: `ns-${i}`, cluster };
}

const probeSeries = (cluster: string, i: number, values: string, x = "a") => ({
  series: seriesOf("probe_success", probeLabels(cluster, i, x)),
  values,
});

/** 1 for two minutes, 0 for six, 1 again: a failure that outlasts a `for:` of up to 2m by a margin. */
const FAILS_FROM_2_TO_8 = `${repeat("1", 2)} ${repeat("0", 6)} ${repeat("1", 4)}`;
const ALWAYS = (value: string) => repeat(value, 12);

export function nameServerIndexServiceUnhealthy(inputs: LookupAlertInputs): AlertDefinition {
  const cluster = inputs.clusterName;
  const firing = { labels: { cluster, service: "rocketmq-a" }, value: 1 };
  return {
    alert: "NameServerIndexServiceUnhealthy",
    expr: servicesWithoutPassingInstance,
    for: "1m",
    labels: { severity: "critical" },
    annotations: ({ label }) => ({
      summary: `NameServer-index service ${label("service")} has no passing instance`,
      description: `Every instance of ${label("service")} in Consul fails a health check, so no index Fabio routes to it: its subgroups' lookups answer 404 on every host.`,
    }),
    scenarios: [
      {
        // Consul's health is a label: a check turning critical replaces the passing series with a critical one.
        series: [
          { series: seriesOf("up", instanceLabels(cluster, 1, "passing")), values: "1 1 stale _ _ _ _ _ 1 1 1 1" },
          { series: seriesOf("up", instanceLabels(cluster, 1, "critical")), values: "_ _ 1 1 1 1 1 1 stale _ _ _" },
        ],
        expect: [
          { at: "1m", firing: [] },
          { at: "2m", firing: [] },
          { at: "5m", firing: [firing] },
          { at: "10m", firing: [] },
        ],
      },
      {
        // One instance passing is enough for Fabio to route: rocketmq-a stays silent, rocketmq-b (none passing) fires.
        series: [
          { series: seriesOf("up", instanceLabels(cluster, 1, "passing")), values: ALWAYS("1") },
          { series: seriesOf("up", instanceLabels(cluster, 2, "critical")), values: ALWAYS("1") },
          { series: seriesOf("up", instanceLabels(cluster, 3, "critical", "b")), values: ALWAYS("1") },
        ],
        expect: [
          { at: "0m", firing: [] },
          { at: "5m", firing: [{ labels: { cluster, service: "rocketmq-b" }, value: 1 }] },
        ],
      },
    ],
  };
}

export function nameServerLookupFailingEverywhere(inputs: LookupAlertInputs): AlertDefinition {
  const cluster = inputs.clusterName;
  const bothFail = [1, 2].map((i) => ({
    series: seriesOf("probe_success", probeLabels(cluster, i)),
    values: FAILS_FROM_2_TO_8,
  }));
  return {
    alert: "NameServerLookupFailingEverywhere",
    expr: `(${failingOnEveryHost}) unless on (cluster, service) (${servicesWithoutPassingInstance})`,
    for: "1m",
    labels: { severity: "critical" },
    annotations: ({ label }) => ({
      summary: `Lookups of subgroup ${label("subgroup")} fail on every NameServer host`,
      description: `GET /rocketmq/${label("subgroup")} (service ${label("service")}) has answered no host with 200 and an address list for 1 minute: RocketMQ clients of that subgroup cannot find their NameServers.`,
    }),
    scenarios: [
      {
        series: bothFail,
        expect: [
          { at: "1m", firing: [] },
          { at: "2m", firing: [] },
          { at: "5m", firing: [{ labels: { cluster, subgroup: "nsaddr-a", service: "rocketmq-a" }, value: 0 }] },
          { at: "10m", firing: [] },
        ],
      },
      {
        // rocketmq-a has no passing instance: NameServerIndexServiceUnhealthy names that cause, so only b fires.
        series: [
          ...bothFail,
          ...[1, 2].map((i) => probeSeries(cluster, i, FAILS_FROM_2_TO_8, "b")),
          { series: seriesOf("up", instanceLabels(cluster, 1, "critical")), values: ALWAYS("1") },
          { series: seriesOf("up", instanceLabels(cluster, 1, "passing", "b")), values: ALWAYS("1") },
        ],
        expect: [
          { at: "1m", firing: [] },
          { at: "5m", firing: [{ labels: { cluster, subgroup: "nsaddr-b", service: "rocketmq-b" }, value: 0 }] },
        ],
      },
    ],
  };
}

export function nameServerLookupFailing(inputs: LookupAlertInputs): AlertDefinition {
  const cluster = inputs.clusterName;
  const indexFabioDown = `up{job="${FABIO_JOB}",service="${inputs.indexFabioMetricsService}"} == 0`;
  const failsOnHost1 = { series: seriesOf("probe_success", probeLabels(cluster, 1)), values: FAILS_FROM_2_TO_8 };
  const fineOnHost2 = { series: seriesOf("probe_success", probeLabels(cluster, 2)), values: ALWAYS("1") };
  return {
    alert: "NameServerLookupFailing",
    expr:
      `((${probeSuccess} == 0) unless on (cluster, subgroup) (${failingOnEveryHost}))` +
      ` unless on (cluster, service) (${servicesWithoutPassingInstance})` +
      ` unless on (cluster, host) (${indexFabioDown})`,
    for: "2m",
    labels: { severity: "warning" },
    annotations: ({ label }) => ({
      summary: `Lookups of subgroup ${label("subgroup")} fail on NameServer host ${label("host")}`,
      description: `${label("instance")} has not answered with 200 and an address list for 2 minutes while other hosts do: RocketMQ clients that ask ${label("host")} for ${label("subgroup")} get no NameServers.`,
    }),
    scenarios: [
      {
        series: [failsOnHost1, fineOnHost2],
        expect: [
          { at: "1m", firing: [] },
          { at: "3m", firing: [] },
          { at: "6m", firing: [{ labels: probeLabels(cluster, 1), value: 0 }] },
          { at: "10m", firing: [] },
        ],
      },
      {
        // nsaddr-a failing on every host is NameServerLookupFailingEverywhere's alone; nsaddr-b fails on ns-1 only.
        series: [
          failsOnHost1,
          { ...fineOnHost2, values: FAILS_FROM_2_TO_8 },
          probeSeries(cluster, 1, FAILS_FROM_2_TO_8, "b"),
          probeSeries(cluster, 2, ALWAYS("1"), "b"),
        ],
        expect: [
          { at: "1m", firing: [] },
          { at: "6m", firing: [{ labels: probeLabels(cluster, 1, "b"), value: 0 }] },
        ],
      },
      {
        // The host's index Fabio is down: FabioDown names the cause.
        series: [
          failsOnHost1,
          fineOnHost2,
          {
            series: seriesOf("up", {
              job: FABIO_JOB,
              instance: "10.0.1.1:9997",
              service: inputs.indexFabioMetricsService,
              host: "ns-1",
              cluster,
            }),
            values: FAILS_FROM_2_TO_8,
          },
          // ns-2's Fabio is up: its failing nsaddr-b lookup still fires.
          probeSeries(cluster, 1, ALWAYS("1"), "b"),
          probeSeries(cluster, 2, FAILS_FROM_2_TO_8, "b"),
        ],
        expect: [
          { at: "1m", firing: [] },
          { at: "6m", firing: [{ labels: probeLabels(cluster, 2, "b"), value: 0 }] },
        ],
      },
    ],
  };
}

export function nameServerLookupSlow(inputs: LookupAlertInputs): AlertDefinition {
  const cluster = inputs.clusterName;
  const slow = inputs.slowAfterSeconds * 4;
  const duration = (values: string, x = "a") => ({
    series: seriesOf("probe_duration_seconds", probeLabels(cluster, 1, x)),
    values,
  });
  const success = (values: string, x = "a") => probeSeries(cluster, 1, values, x);
  const fast = String(inputs.slowAfterSeconds / 4);
  return {
    alert: "NameServerLookupSlow",
    expr: `(probe_duration_seconds{job="${LOOKUPS}"} > ${inputs.slowAfterSeconds}) and (${probeSuccess} == 1)`,
    for: "3m",
    labels: { severity: "warning" },
    annotations: ({ label, value }) => ({
      summary: `Lookups of subgroup ${label("subgroup")} on ${label("host")} are slow`,
      description: `${label("instance")} took ${value()}s to answer, above prometheus.lookupProbes.slowAfter (${inputs.slowAfter}), for 3 minutes.`,
    }),
    scenarios: [
      {
        series: [duration(`${repeat(fast, 2)} ${repeat(String(slow), 6)} ${repeat(fast, 4)}`), success(ALWAYS("1"))],
        expect: [
          { at: "1m", firing: [] },
          { at: "4m", firing: [] },
          { at: "6m", firing: [{ labels: probeLabels(cluster, 1), value: slow }] },
          { at: "10m", firing: [] },
        ],
      },
      {
        // A probe that times out is slow and failing: the failing alerts name it. nsaddr-b is slow and answers.
        series: [
          duration(ALWAYS(String(slow))),
          success(ALWAYS("0")),
          duration(ALWAYS(String(slow)), "b"),
          success(ALWAYS("1"), "b"),
        ],
        expect: [
          { at: "1m", firing: [] },
          { at: "6m", firing: [{ labels: probeLabels(cluster, 1, "b"), value: slow }] },
        ],
      },
    ],
  };
}

export function nameServerLookupsNotFound(inputs: LookupAlertInputs): AlertDefinition {
  const cluster = inputs.clusterName;
  const notFound = `fabio_notfound{job="${FABIO_JOB}",service="${inputs.indexFabioMetricsService}"}`;
  const counter = (i: number, values: string) => ({
    series: seriesOf("fabio_notfound", {
      job: FABIO_JOB,
      instance: `10.0.1.${i}:9997`,
      service: inputs.indexFabioMetricsService,
      host: `ns-${i}`,
      cluster,
    }),
    values,
  });
  // Flat for two minutes, 30 more 404s a minute for six, flat again.
  const rising = "0 0 30 60 90 120 150 180 180 180 180 180 180 180 180 180";
  return {
    alert: "NameServerLookupsNotFound",
    expr:
      `(sum by (cluster) (increase(${notFound}[5m])) > 0)` +
      ` unless on (cluster) (min by (cluster) (${probeSuccess}) == 0)`,
    for: "2m",
    labels: { severity: "warning" },
    annotations: () => ({
      summary: "RocketMQ clients look up subgroups no NameServer-index service answers",
      description:
        "The index Fabios answer /rocketmq/ lookups with 404 while every probed subgroup answers: clients ask for a subgroup no service claims (a cluster gone, or a client's rocketmq.namesrv.domain.subgroup misspelt).",
    }),
    scenarios: [
      {
        series: [
          counter(1, rising),
          counter(2, repeat("0", 16)),
          { series: seriesOf("probe_success", probeLabels(cluster, 1)), values: repeat("1", 16) },
        ],
        expect: [
          { at: "1m", firing: [] },
          { at: "3m", firing: [] },
          { at: "6m", firing: [{ labels: { cluster } }] },
          { at: "14m", firing: [] },
        ],
      },
      {
        // While a probed subgroup fails, its failing alert explains the 404s; once it answers again, they are news.
        series: [
          counter(1, "0 30 60 90 120 150 180 210 240 270 300 330 360 390 420 450"),
          probeSeries(cluster, 1, `${repeat("0", 9)} ${repeat("1", 7)}`),
        ],
        expect: [
          { at: "6m", firing: [] },
          { at: "14m", firing: [{ labels: { cluster } }] },
        ],
      },
    ],
  };
}

/**
 * blackbox_exporter down: every probe's scrape fails at once. One alert for it, and the catch-all TargetDown
 * leaves the probe jobs out.
 */
export function nameServerLookupProberDown(inputs: LookupAlertInputs): AlertDefinition {
  const cluster = inputs.clusterName;
  return {
    alert: "NameServerLookupProberDown",
    expr: `count by (cluster) (up{job=~"${LOOKUPS}|${INSTANCES}"} == 0) > 0`,
    downJob: PROBE_JOBS,
    for: "2m",
    labels: { severity: "warning" },
    annotations: ({ value }) => ({
      summary: "The NameServer lookup probes do not run",
      description: `Prometheus cannot scrape blackbox_exporter for ${value()} probe target(s): NameServer lookups are not watched.`,
    }),
    scenarios: [
      {
        series: [1, 2].map((i) => ({ series: seriesOf("up", probeLabels(cluster, i)), values: FAILS_FROM_2_TO_8 })),
        expect: [
          { at: "1m", firing: [] },
          { at: "3m", firing: [] },
          { at: "6m", firing: [{ labels: { cluster }, value: 2 }] },
          { at: "10m", firing: [] },
        ],
      },
    ],
  };
}

/** The probe jobs, which TargetDown leaves to NameServerLookupProberDown. */
export const PROBE_JOBS = [LOOKUPS, INSTANCES] as const;

export function lookupAlerts(model: StackModel): AlertDefinition[] {
  const inputs = lookupAlertInputs(model);
  return [
    nameServerLookupFailing(inputs),
    nameServerLookupFailingEverywhere(inputs),
    nameServerLookupSlow(inputs),
    nameServerIndexServiceUnhealthy(inputs),
    nameServerLookupsNotFound(inputs),
    nameServerLookupProberDown(inputs),
  ];
}
