// Runs requests to many listeners (host:port) so that one listener that does not answer costs one request
// timeout, not a round of timeouts per queued request: one request per listener at a time, listeners taken in
// turn, and once a listener fails to answer, its remaining requests are "not run" at once.

export interface ListenerWork<T, R> {
  /** Which listener an item talks to, e.g. `10.0.0.1:8080`. */
  listener: (item: T) => string;
  /** Sends the item's request; `answered` is false when the listener gave no answer (timeout, refused). */
  run: (item: T) => Promise<{ result: R; answered: boolean }>;
  /** The result of an item not sent because `cause` (an earlier item of its listener) got no answer. */
  notRun: (item: T, cause: T) => R;
}

/**
 * Calls `work.run` on every item with at most `limit` calls in flight and one per listener, and `onResult`
 * for each result in item order as soon as it and every result before it are known.
 */
export async function byListener<T, R>(
  items: readonly T[],
  limit: number,
  work: ListenerWork<T, R>,
  onResult: (result: R, item: T) => void,
): Promise<R[]> {
  const results = new Array<R | undefined>(items.length);
  const done = new Array<boolean>(items.length).fill(false);
  let reported = 0;
  const finish = (index: number, result: R) => {
    results[index] = result;
    done[index] = true;
    while (reported < items.length && done[reported]) {
      onResult(results[reported]!, items[reported]!);
      reported += 1;
    }
  };

  // Each listener's items in plan order; listeners in the order they first appear.
  const queues = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = work.listener(item);
    queues.set(key, [...(queues.get(key) ?? []), index]);
  });
  const waiting = [...queues.keys()];
  const dead = new Map<string, number>();

  const drain = (key: string) => {
    const cause = dead.get(key)!;
    for (const index of queues.get(key)!.splice(0)) finish(index, work.notRun(items[index]!, items[cause]!));
  };

  const worker = async (): Promise<void> => {
    for (let key = waiting.shift(); key !== undefined; key = waiting.shift()) {
      const index = queues.get(key)!.shift()!;
      const { result, answered } = await work.run(items[index]!);
      if (!answered && !dead.has(key)) dead.set(key, index);
      finish(index, result);
      if (dead.has(key)) drain(key);
      // Back of the line: the other listeners' next requests go first (hosts interleave).
      else if (queues.get(key)!.length > 0) waiting.push(key);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, queues.size) }, worker));
  return results as R[];
}
