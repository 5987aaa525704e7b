import { describe, expect, it } from "vitest";
import { inOrder } from "../../verify";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("inOrder", () => {
  it("reports results in plan order while at most `limit` requests run at once", async () => {
    const delays = [200, 10, 10, 100, 10, 10, 10];
    let inFlight = 0;
    let most = 0;
    const reported: number[] = [];
    const started = Date.now();
    const results = await inOrder(
      delays.map((delay, index) => ({ delay, index })),
      3,
      async ({ delay, index }) => {
        most = Math.max(most, ++inFlight);
        await sleep(delay);
        inFlight -= 1;
        return index * 10;
      },
      (result) => reported.push(result),
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(reported).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
    // The slow first item did not hold up the others: far below the 350 ms the delays add up to.
    expect(Date.now() - started).toBeLessThan(320);
  });

  it("returns at once for nothing to do", async () => {
    expect(
      await inOrder(
        [],
        4,
        () => Promise.resolve(1),
        () => undefined,
      ),
    ).toEqual([]);
  });
});
