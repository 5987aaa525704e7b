// A line diff of two texts as unified-diff hunks, for multi-line values (a template's data, a whole file).

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
  return toHunks(editScript(splitLines(before), splitLines(after)));
}

/**
 * The edit script by longest common subsequence, after trimming the common head and tail: rendered files
 * change in a few places, so the quadratic table covers only the part in between. Within a run of changes,
 * removals come before additions.
 */
export function editScript(a: string[], b: string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  const n = midA.length;
  const m = midB.length;
  // lcs[i][j]: length of the LCS of midA[i..] and midB[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        midA[i] === midB[j]
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      middle.push({ op: " ", text: midA[i++]! });
      j++;
    } else if (j < m && (i === n || lcs[i * (m + 1) + j + 1]! >= lcs[(i + 1) * (m + 1) + j]!)) {
      middle.push({ op: "+", text: midB[j++]! });
    } else {
      middle.push({ op: "-", text: midA[i++]! });
    }
  }
  // Removals before additions within each run of changes, as diff(1) prints them.
  for (let k = 0; k < middle.length;) {
    if (middle[k]!.op === " ") {
      k++;
      continue;
    }
    let end = k;
    while (end < middle.length && middle[end]!.op !== " ") end++;
    const run = middle.slice(k, end);
    middle.splice(k, run.length, ...run.filter((l) => l.op === "-"), ...run.filter((l) => l.op === "+"));
    k = end;
  }
  return [
    ...a.slice(0, head).map((text): DiffLine => ({ op: " ", text })),
    ...middle,
    ...a.slice(a.length - tail).map((text): DiffLine => ({ op: " ", text })),
  ];
}

function toHunks(script: DiffLine[]): Hunk[] {
  const hunks: Hunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let current: Hunk | undefined;
  let trailingContext = 0;
  script.forEach((line, index) => {
    const changed = line.op !== " ";
    const nearChange = script.slice(index, index + CONTEXT + 1).some((l) => l.op !== " ");
    if (changed || nearChange || (current !== undefined && trailingContext < CONTEXT)) {
      if (current === undefined) {
        current = { oldStart: oldLine, oldLines: 0, newStart: newLine, newLines: 0, lines: [] };
        hunks.push(current);
      }
      current.lines.push(line);
      if (line.op !== "+") current.oldLines++;
      if (line.op !== "-") current.newLines++;
      trailingContext = changed ? 0 : trailingContext + 1;
    } else {
      current = undefined;
      trailingContext = 0;
    }
    if (line.op !== "+") oldLine++;
    if (line.op !== "-") newLine++;
  });
  return hunks;
}
