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
 * The target is up for 2 minutes, down for `for` plus 3 minutes, then up again. The alert must be silent
 * while up, pending (silent) before its `for:` has passed, firing after it, and resolved once the target is
 * back.
 */
export function targetGoesDown(labels: Labels, forDuration: string): Scenario {
  const forMinutes = Math.ceil(durationSeconds(forDuration) / 60);
  const downAt = 2;
  const downMinutes = forMinutes + 3;
  const upAgainAt = downAt + downMinutes;
  return {
    series: [
      {
        series: seriesOf("up", labels),
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

/**
 * `expected` targets are up; the last stops being discovered at minute 3 (no samples: Prometheus still sees
 * its last one for its 5 minute lookback) and is back at minute 15. An alert with `for: 2m` must stay silent
 * while all are there, fire once the gap outlasts lookback plus `for:`, and resolve when the target is back.
 * `bystanders` are series of the same job that must not hide the missing one.
 */
export function targetLeavesDiscovery(
  instanceLabels: (i: number) => Labels,
  expected: number,
  { firingValue, bystanders = [] }: { firingValue: number; bystanders?: Labels[] },
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
      { at: "12m", firing: [{ labels: {}, value: firingValue }] },
      { at: "17m", firing: [] },
    ],
  };
}

/**
 * A series is reported for 3 minutes, then by no one. Without samples the old series counts as present for
 * Prometheus' 5 minute lookback; an alert with `for: 1m` must fire after that.
 */
export function seriesStops(metric: string, labels: Labels, firing: Labels): Scenario {
  return {
    series: [{ series: seriesOf(metric, labels), values: `${repeat("1", 3)} ${repeat("_", 12)}` }],
    expect: [
      { at: "2m", firing: [] },
      { at: "7m", firing: [] },
      { at: "10m", firing: [{ labels: firing, value: 1 }] },
    ],
  };
}
