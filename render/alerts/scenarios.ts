// Timelines for the rule tests: the series a failure leaves in Prometheus, minute by minute. Every timeline is
// computed from the rule's own `for:`, so a rule's duration can change without its tests going stale.
import { wholeMinutes } from "../../config";
import type { Labels, Scenario } from "./definition";

/** Prometheus still sees a series' last sample for this long after it (its default lookback delta). */
const LOOKBACK_MINUTES = 5;

/** `values` notation: `n` samples of `value`, one per interval. */
export const repeat = (value: string, n: number): string => Array.from({ length: n }, () => value).join(" ");

/** A series selector as promtool's input_series reads it: `metric{a="x",b="y"}`. */
export function seriesOf(metric: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `${metric}{${pairs.join(",")}}`;
}

/**
 * A 1/0 series (`up`, a success flag) is 1 for 2 minutes, 0 for `for` plus 3 minutes, then 1 again. The
 * alert must be silent while it is 1, pending (silent) before its `for:` has passed, firing after it, and
 * resolved once it is 1 again.
 */
export function seriesDrops(metric: string, labels: Labels, forDuration: string): Scenario {
  const forMinutes = wholeMinutes(forDuration);
  const downAt = 2;
  const downMinutes = forMinutes + 3;
  const upAgainAt = downAt + downMinutes;
  return {
    series: [
      {
        series: seriesOf(metric, labels),
        values: `${repeat("1", downAt)} ${repeat("0", downMinutes)} ${repeat("1", 5)}`,
      },
    ],
    expect: [
      { at: "1m", firing: [] },
      { at: `${downAt + forMinutes - 1}m`, firing: [] },
      { at: `${downAt + forMinutes + 1}m`, firing: [{ labels, value: 0 }] },
      { at: `${upAgainAt + 1}m`, firing: [] },
    ],
  };
}

/** A target that stops answering its scrape and answers again. */
export const targetGoesDown = (labels: Labels, forDuration: string): Scenario => seriesDrops("up", labels, forDuration);

/**
 * A series sampled at minutes 0 to 2 and not again until it is back: a target that leaves discovery, or a
 * gauge nobody reports. Without samples the last one counts as present for the lookback, so an alert on its
 * absence is silent until minute 2 + lookback; it fires `firingMargin` minutes after the lookback and its
 * `for:` have passed, and is resolved 2 minutes after the series is back (`backAfter` minutes after firing).
 */
function gapTimeline(forDuration: string, firingMargin: number, backAfter: number) {
  const lastSample = 2;
  const silentAt = lastSample + LOOKBACK_MINUTES;
  const firingAt = silentAt + wholeMinutes(forDuration) + firingMargin;
  const backAt = firingAt + backAfter;
  return {
    values: `${repeat("1", lastSample + 1)} ${repeat("_", backAt - lastSample - 1)} ${repeat("1", 5)}`,
    samples: backAt + 5,
    checks: {
      before: `${lastSample}m`,
      silentAt: `${silentAt}m`,
      firingAt: `${firingAt}m`,
      resolvedAt: `${backAt + 2}m`,
    },
  };
}

/**
 * `expected` targets are up; the last stops being discovered after minute 2 (no samples: Prometheus still sees
 * its last one for its lookback) and comes back later. The alert (its `for:` given) must stay silent while all
 * are there, fire once the gap outlasts lookback plus `for:`, and resolve when the target is back.
 * `bystanders` are series of the same job that must not hide the missing one.
 */
export function targetLeavesDiscovery(
  instanceLabels: (i: number) => Labels,
  expected: number,
  {
    forDuration,
    firingValue,
    firingLabels = {},
    bystanders = [],
  }: { forDuration: string; firingValue: number; firingLabels?: Labels; bystanders?: Labels[] },
): Scenario {
  const timeline = gapTimeline(forDuration, 3, 3);
  const stays = [
    ...Array.from({ length: expected - 1 }, (_, i) => seriesOf("up", instanceLabels(i + 1))),
    ...bystanders.map((labels) => seriesOf("up", labels)),
  ].map((series) => ({ series, values: repeat("1", timeline.samples) }));
  const leaves = { series: seriesOf("up", instanceLabels(expected)), values: timeline.values };
  return {
    series: [...stays, leaves],
    expect: [
      { at: timeline.checks.before, firing: [] },
      { at: timeline.checks.silentAt, firing: [] },
      { at: timeline.checks.firingAt, firing: [{ labels: firingLabels, value: firingValue }] },
      { at: timeline.checks.resolvedAt, firing: [] },
    ],
  };
}

/**
 * A series is reported until minute 2, by no one after, and again later. Without samples the old series
 * counts as present for Prometheus' lookback; an alert on its absence (its `for:` given) must fire after
 * lookback plus `for:`, and resolve once the series is back.
 */
export function seriesStops(metric: string, labels: Labels, firing: Labels, forDuration: string): Scenario {
  const timeline = gapTimeline(forDuration, 2, 5);
  return {
    series: [{ series: seriesOf(metric, labels), values: timeline.values }],
    expect: [
      { at: timeline.checks.before, firing: [] },
      { at: timeline.checks.silentAt, firing: [] },
      { at: timeline.checks.firingAt, firing: [{ labels: firing, value: 1 }] },
      { at: timeline.checks.resolvedAt, firing: [] },
    ],
  };
}

/**
 * `servers` servers each report, in every metric of `metrics`, 1 while they lead and 0 while they follow.
 * The first leads for 3 minutes, then all report 0 (an election that does not end) until 3 minutes after the
 * alert must fire, then it leads again. The alert (its `for:` given) must stay silent while one leads (the
 * followers' zeros must not fire it), fire once no server has led for `for:`, and resolve when one leads again.
 */
export function leaderGaugesDrop(
  metrics: string[],
  serverLabels: (i: number) => Labels,
  servers: number,
  firing: Labels,
  forDuration: string,
): Scenario {
  const droppedAt = 3;
  const firingAt = droppedAt + wholeMinutes(forDuration) + 1;
  const leadsAgainAt = firingAt + 3;
  const samples = leadsAgainAt + 4;
  const leader = `${repeat("1", droppedAt)} ${repeat("0", leadsAgainAt - droppedAt)} ${repeat("1", samples - leadsAgainAt)}`;
  return {
    series: metrics.flatMap((metric) =>
      Array.from({ length: servers }, (_, i) => ({
        series: seriesOf(metric, serverLabels(i + 1)),
        values: i === 0 ? leader : repeat("0", samples),
      })),
    ),
    expect: [
      { at: `${droppedAt - 1}m`, firing: [] },
      { at: `${droppedAt}m`, firing: [] },
      { at: `${firingAt}m`, firing: [{ labels: firing, value: 0 }] },
      { at: `${leadsAgainAt + 1}m`, firing: [] },
    ],
  };
}
