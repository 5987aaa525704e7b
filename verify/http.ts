// The only I/O of `verify`: HTTP GETs bounded per request and by one deadline for the whole run.

/** What a GET came back with: an answer (any status), or why there was none. */
export type HttpResult = { ok: true; status: number; text: string } | { ok: false; error: string };

export interface HttpClient {
  get(url: string, headers?: Record<string, string>): Promise<HttpResult>;
}

export interface Bounds {
  /** Longest wait for one answer. */
  requestTimeoutMs: number;
  /** Epoch milliseconds after which no request is started or waited for. */
  deadline: number;
}

/** Request failures as one line: no stack, no headers (they may carry a token), only the cause. */
export function describeFailure(err: unknown, waitedMs: number): string {
  const name = (err as { name?: string }).name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${formatSeconds(waitedMs)}`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `unreachable (${cause.code})`;
  return `unreachable (${cause?.message ?? (err as Error).message ?? String(err)})`;
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

export function httpClient(bounds: Bounds, now: () => number = Date.now): HttpClient {
  return {
    async get(url, headers = {}) {
      const left = bounds.deadline - now();
      if (left <= 0) return { ok: false, error: "not run: the total time bound was reached" };
      const waitMs = Math.min(bounds.requestTimeoutMs, left);
      try {
        const response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(waitMs) });
        return { ok: true, status: response.status, text: await response.text() };
      } catch (err) {
        return { ok: false, error: describeFailure(err, waitMs) };
      }
    },
  };
}
