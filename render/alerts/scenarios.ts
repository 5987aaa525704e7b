// Timelines for the rule tests: the series a failure leaves in Prometheus, minute by minute.
import { durationSeconds, type Labels, type Scenario } from "./definition";

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
  const forMinutes = Math.ceil(durationSeconds(forDuration) / 60);
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
 * `expected` targets are up; the last stops being discovered at minute 3 (no samples: Prometheus still sees
 * its last one for its 5 minute lookback) and is back at minute 15. An alert with `for: 2m` must stay silent
 * while all are there, fire once the gap outlasts lookback plus `for:`, and resolve when the target is back.
 * `bystanders` are series of the same job that must not hide the missing one.
 */
export function targetLeavesDiscovery(
  instanceLabels: (i: number) => Labels,
  expected: number,
  {
    firingValue,
    firingLabels = {},
    bystanders = [],
  }: { firingValue: number; firingLabels?: Labels; bystanders?: Labels[] },
): Scenario {
  const stays = [
    ...Array.from({ length: expected - 1 }, (_, i) => seriesOf("up", instanceLabels(i + 1))),
    ...bystanders.map((labels) => seriesOf("up", labels)),
  ].map((series) => ({ series, values: repeat("1", 20) }));
  const leaves = {
    series: seriesOf("up", instanceLabels(expected)),
    values: `${repeat("1", 3)} ${repeat("_", 12)} ${repeat("1", 5)}`,
  };
  return {
    series: [...stays, leaves],
    expect: [
      { at: "2m", firing: [] },
      { at: "7m", firing: [] },
      { at: "12m", firing: [{ labels: firingLabels, value: firingValue }] },
      { at: "17m", firing: [] },
    ],
  };
}

/**
 * A series is reported for 3 minutes, by no one from minute 3, and again from minute 15. Without samples
 * the old series counts as present for Prometheus' 5 minute lookback; an alert with `for: 1m` on its
 * absence must fire after that, and resolve once the series is back.
 */
export function seriesStops(metric: string, labels: Labels, firing: Labels): Scenario {
  return {
    series: [{ series: seriesOf(metric, labels), values: `${repeat("1", 3)} ${repeat("_", 12)} ${repeat("1", 5)}` }],
    expect: [
      { at: "2m", firing: [] },
      { at: "7m", firing: [] },
      { at: "10m", firing: [{ labels: firing, value: 1 }] },
      { at: "17m", firing: [] },
    ],
  };
}

/**
 * `servers` servers each report, in every metric of `metrics`, 1 while they lead and 0 while they follow.
 * The first leads for 3 minutes; from minute 3 to 7 all report 0 (an election that does not end); from
 * minute 8 it leads again. An alert with `for: 1m` must stay silent while one leads (the followers' zeros
 * must not fire it), fire once no server has led for a minute, and resolve when one leads again.
 */
export function leaderGaugesDrop(
  metrics: string[],
  serverLabels: (i: number) => Labels,
  servers: number,
  firing: Labels,
): Scenario {
  const leader = `${repeat("1", 3)} ${repeat("0", 5)} ${repeat("1", 4)}`;
  return {
    series: metrics.flatMap((metric) =>
      Array.from({ length: servers }, (_, i) => ({
        series: seriesOf(metric, serverLabels(i + 1)),
        values: i === 0 ? leader : repeat("0", 12),
      })),
    ),
    expect: [
      { at: "2m", firing: [] },
      { at: "3m", firing: [] },
      { at: "5m", firing: [{ labels: firing, value: 0 }] },
      { at: "9m", firing: [] },
    ],
  };
}
