import { describe, expect, it, vi } from "vitest";
import { byListener } from "../../verify";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Item {
  listener: string;
  index: number;
  delay: number;
  answers?: boolean;
}

/** Runs `items` through byListener, recording concurrency overall and per listener. */
async function run(items: Item[], limit: number) {
  let inFlight = 0;
  let most = 0;
  const perListener = new Map<string, number>();
  let mostPerListener = 0;
  const sent: number[] = [];
  const reported: string[] = [];
  const results = await byListener(
    items,
    limit,
    {
      listener: (item) => item.listener,
      run: async (item) => {
        sent.push(item.index);
        most = Math.max(most, ++inFlight);
        perListener.set(item.listener, (perListener.get(item.listener) ?? 0) + 1);
        mostPerListener = Math.max(mostPerListener, perListener.get(item.listener)!);
        await sleep(item.delay);
        inFlight -= 1;
        perListener.set(item.listener, perListener.get(item.listener)! - 1);
        const answered = item.answers ?? true;
        return { result: answered ? `${item.index} ok` : `${item.index} no answer`, answered };
      },
      notRun: (item, cause) => `${item.index} not run (because ${cause.index})`,
    },
    (result) => reported.push(result),
  );
  return { results, reported, most, mostPerListener, sent };
}

describe("byListener", () => {
  it("reports results in plan order, one request per listener and at most `limit` at once", async () => {
    const items = [0, 1, 2, 3, 4, 5].map((index) => ({ listener: `h${index % 3}`, index, delay: 20 }));
    const { results, reported, most, mostPerListener, sent } = await run(items, 2);
    expect(results).toEqual(["0 ok", "1 ok", "2 ok", "3 ok", "4 ok", "5 ok"]);
    expect(reported).toEqual(results);
    expect(most).toBe(2);
    expect(mostPerListener).toBe(1);
    // Listeners take turns: h0, h1 first, then h2 before h0's second request.
    expect(sent.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it("waits for a listener that does not answer once, and does not send its other requests", async () => {
    const timeout = 300;
    const frozen = (index: number): Item => ({ listener: "frozen", index, delay: timeout, answers: false });
    const items = [
      frozen(0),
      frozen(1),
      frozen(2),
      ...[3, 4, 5, 6].map((index) => ({ listener: "ok", index, delay: 10 })),
    ];
    // The clock is vitest's: one timeout's worth of it must be enough for the whole run.
    vi.useFakeTimers();
    try {
      let finished = false;
      const running = run(items, 8).finally(() => (finished = true));
      await vi.advanceTimersByTimeAsync(timeout);
      expect(finished).toBe(true);
      const { results, sent } = await running;
      expect(results).toEqual([
        "0 no answer",
        "1 not run (because 0)",
        "2 not run (because 0)",
        "3 ok",
        "4 ok",
        "5 ok",
        "6 ok",
      ]);
      expect(sent).not.toContain(1);
      expect(sent).not.toContain(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("returns at once for nothing to do", async () => {
    expect((await run([], 4)).results).toEqual([]);
  });
});
