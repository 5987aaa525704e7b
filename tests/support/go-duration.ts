// Go's duration syntax (time.ParseDuration), which Nomad uses in jobspecs and stores in nanoseconds.

/** Go duration strings as Nomad stores them, in nanoseconds ("30s" → 30e9). */
export function nanoseconds(duration: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== duration) {
    throw new Error(`not a Go duration: ${JSON.stringify(duration)}`);
  }
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * units[unit!]!, 0);
}
