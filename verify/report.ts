// Pure formatting of `verify`'s results: progress lines, the table, the JSON document, the exit code.
import type { CheckResult } from "./result";

const MARK: Record<CheckResult["result"], string> = { pass: "ok  ", fail: "FAIL", skip: "skip" };

/** One line per finished check, on stderr while the run goes on. */
export function progressLine(index: number, result: CheckResult): string {
  return `[${String(index).padStart(3)}] ${MARK[result.result]} ${result.check} @ ${result.host}`;
}

const COLUMNS = ["CHECK", "HOST", "RESULT", "DETAIL"] as const;

/** A plain-text table (check, host, result, detail), failures first, then a one-line summary. */
export function resultTable(results: CheckResult[]): string {
  const order: Record<CheckResult["result"], number> = { fail: 0, pass: 1, skip: 2 };
  const rows = results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order[a.r.result] - order[b.r.result] || a.i - b.i)
    .map(({ r }) => [r.check, r.host, r.result, r.detail]);
  const widths = [0, 1, 2].map((c) => Math.max(COLUMNS[c]!.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell))
      .join("  ")
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line), "", summary(results)].join("\n");
}

export function summary(results: CheckResult[]): string {
  const count = (outcome: CheckResult["result"]) => results.filter((r) => r.result === outcome).length;
  const verdict = count("fail") === 0 ? "PASSED" : "FAILED";
  return `${verdict}: ${results.length} checks, ${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`;
}

export interface VerifyReport {
  stack: string;
  passed: boolean;
  checks: CheckResult[];
}

export function resultJson(stack: string, results: CheckResult[]): string {
  const report: VerifyReport = { stack, passed: exitCode(results) === 0, checks: results };
  return JSON.stringify(report, null, 2);
}

/** 0 when nothing failed (skipped checks do not fail a run), 1 otherwise. */
export function exitCode(results: CheckResult[]): 0 | 1 {
  return results.some((r) => r.result === "fail") ? 1 : 0;
}
