// Pure, deterministic results that several test files of a worker read (a committed stack file, its render).

/**
 * `compute`, run once per key in this worker. Every caller gets a deep copy of its own, so that no test can
 * change what another one sees.
 */
export function copiesOfOnce<T>(compute: (key: string) => T): (key: string) => T {
  const computed = new Map<string, T>();
  return (key) => {
    if (!computed.has(key)) computed.set(key, compute(key));
    return structuredClone(computed.get(key)!);
  };
}
