// Durations, in the two syntaxes the stack writes: Prometheus' (config keys, flags, rule `for:`) and Go's
// time.ParseDuration (Consul's and Nomad's agent config). One parser per syntax; everything else reads these.

const MS: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

/** Prometheus' units, largest first: each may appear once, in this order (`1y` is 365 days, as it counts). */
const PROMETHEUS_UNITS = ["y", "w", "d", "h", "m", "s", "ms"] as const;
const GO_UNITS = new Set(["h", "m", "s", "ms", "us", "µs", "ns"]);

/** `[amount, unit]` pairs of a duration made of `<number><unit>` terms only, or undefined. */
function terms(text: string, amount: RegExp): [string, string][] | undefined {
  const found: [string, string][] = [];
  const term = new RegExp(`(${amount.source})(ns|us|µs|ms|[ywdhms])`, "y");
  let at = 0;
  while (at < text.length) {
    term.lastIndex = at;
    const match = term.exec(text);
    if (match === null) return undefined;
    found.push([match[1]!, match[2]!]);
    at = term.lastIndex;
  }
  return found.length > 0 ? found : undefined;
}

/** Milliseconds of a Prometheus duration such as `1m30s` or `15d`; undefined when it is not one. */
export function parsePrometheusDuration(text: string): number | undefined {
  const parts = terms(text, /\d+/);
  if (parts === undefined) return undefined;
  let previous = -1;
  let ms = 0;
  for (const [amount, unit] of parts) {
    const rank = (PROMETHEUS_UNITS as readonly string[]).indexOf(unit);
    if (rank <= previous) return undefined; // unknown, repeated or out of order
    previous = rank;
    ms += Number(amount) * MS[unit]!;
  }
  return ms;
}

/** Milliseconds of a Go duration such as `10s`, `1.5h` or `1m30s`; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const parts = terms(text, /[0-9]+(?:\.[0-9]+)?/);
  if (parts === undefined || parts.some(([, unit]) => !GO_UNITS.has(unit))) return undefined;
  return parts.reduce((ms, [amount, unit]) => ms + Number(amount) * MS[unit]!, 0);
}

/** Milliseconds of a Prometheus duration the code itself wrote; a malformed one is a bug, not a user mistake. */
export function prometheusDurationMs(text: string): number {
  const ms = parsePrometheusDuration(text);
  if (ms === undefined) throw new RangeError(`not a Prometheus duration: ${JSON.stringify(text)}`);
  return ms;
}

/** Whole minutes covering a Prometheus duration (rule tests sample once a minute). */
export function wholeMinutes(text: string): number {
  return Math.ceil(prometheusDurationMs(text) / 60_000);
}
