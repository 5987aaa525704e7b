// A line diff of two texts as unified-diff hunks, for multi-line values (a template's data, a whole file),
// from the maintained `diff` library.
import { structuredPatch } from "diff";

export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

export interface Hunk {
  /** 1-based first line of the hunk in the old text, and its line count there. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/** Unchanged lines kept around each change, as `diff -U2` does. */
const CONTEXT = 2;

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The hunks that turn `before` into `after`; empty when the texts have the same lines. */
export function lineDiff(before: string, after: string): Hunk[] {
  // Compared as whole lines: a missing final newline is not a change of its own.
  const text = (value: string) =>
    splitLines(value)
      .map((line) => `${line}\n`)
      .join("");
  const patch = structuredPatch("before", "after", text(before), text(after), undefined, undefined, {
    context: CONTEXT,
  });
  return patch.hunks.map((hunk) => ({
    oldStart: hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart,
    oldLines: hunk.oldLines,
    newStart: hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart,
    newLines: hunk.newLines,
    lines: hunk.lines
      .filter((line) => !line.startsWith("\\"))
      .map((line): DiffLine => ({ op: line[0] as DiffLine["op"], text: line.slice(1) })),
  }));
}
