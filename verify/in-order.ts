// Runs independent requests a few at a time, and reports their results in the order they were planned.

/**
 * Calls `work` on every item with at most `limit` calls in flight, and `onResult` for each result in item
 * order, as soon as it and every result before it are known: the progress output stays in plan order while
 * a host that does not answer delays only itself.
 */
export async function inOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  onResult: (result: R, item: T) => void,
): Promise<R[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(items.length);
  const done: boolean[] = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let reported = 0;
  const report = () => {
    while (reported < items.length && done[reported]) {
      onResult(results[reported]!, items[reported]!);
      reported += 1;
    }
  };
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
      done[index] = true;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results as R[];
}
