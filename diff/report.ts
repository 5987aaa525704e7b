// The diff of a stack between two renders, and its reading as styled lines (shared by every output form).
import type { ArtifactDiff } from "./artifacts";
import type { Consequence } from "./consequences";
import type { Hunk } from "./line-diff";
import { isMultiline, type Change } from "./structure";

export interface DiffReport {
  stack: string;
  base: {
    /** The revision as the user named it (`origin/main`). */
    ref: string;
    /** The commit it resolved to. */
    commit: string;
    /** Why the base has nothing to compare with (its stack file is missing or invalid): all is added. */
    note?: string;
  };
  consequences: Consequence[];
  artifacts: ArtifactDiff[];
  /** Where the working tree's stack sends its alerts (`alertDeliveryLine`), shown whether or not anything changed. */
  alertDelivery: string;
}

export function hasChanges(report: DiffReport): boolean {
  return report.artifacts.length > 0;
}

export type Style = "added" | "removed" | "changed" | "flag" | "heading" | "hunk" | "context" | "plain";

export interface Line {
  style: Style;
  text: string;
}

export const PATH_SEPARATOR = " › ";

/** `origin/main (0123abc)`; a ref that is the commit's own hash is shown once, short. */
export function baseName(report: DiffReport): string {
  const short = report.base.commit.slice(0, 7);
  return report.base.commit.startsWith(report.base.ref.toLowerCase()) && report.base.ref.length >= 7
    ? short
    : `${report.base.ref} (${short})`;
}

export function noChangesLine(report: DiffReport): string {
  return `No changes: stack "${report.stack}" renders the same at ${baseName(report)} and in the working tree.`;
}

export function baseNoteLine(report: DiffReport): string | undefined {
  if (report.base.note === undefined) return undefined;
  return `base ${baseName(report)}: ${report.base.note}; everything is shown as added`;
}

/** `jobs/x.nomad.hcl: 3 changes`, `… (added)`: one line naming the artifact and what happened to it. */
export function artifactTitle(artifact: ArtifactDiff): string {
  if (artifact.status !== "changed") return `${artifact.path} (${artifact.status})`;
  if (artifact.note !== undefined) return `${artifact.path}: ${artifact.note}`;
  const n = artifact.hunks !== undefined ? 1 : artifact.changes.length;
  return `${artifact.path}: ${n} ${n === 1 ? "change" : "changes"}`;
}

/** The lines under an artifact's title: one per change, a line diff under each multi-line value. */
export function artifactLines(artifact: ArtifactDiff): Line[] {
  if (artifact.status !== "changed") return [];
  if (artifact.hunks !== undefined) return hunkLines(artifact.hunks, "");
  return artifact.changes.flatMap(changeLines);
}

const INDENT = "    ";

function changeLines(change: Change): Line[] {
  const at = change.path.join(PATH_SEPARATOR);
  switch (change.kind) {
    case "changed":
      if (change.hunks !== undefined) {
        return [{ style: "changed", text: `~ ${at}:` }, ...hunkLines(change.hunks, INDENT)];
      }
      return [{ style: "changed", text: `~ ${at}: ${show(change.before)} → ${show(change.after)}` }];
    case "added":
    case "removed": {
      const sign = change.kind === "added" ? "+" : "-";
      if (!isPlainObject(change.value)) return valueLines(sign, change.kind, at, change.value, "");
      return [
        { style: change.kind, text: `${sign} ${at} (${change.kind})` },
        ...flatten(change.value).flatMap(([path, value]) =>
          valueLines(sign, change.kind, path.join(PATH_SEPARATOR), value, INDENT),
        ),
      ];
    }
    default: {
      const unknown: never = change;
      return unknown;
    }
  }
}

function valueLines(sign: string, style: Style, at: string, value: unknown, indent: string): Line[] {
  if (!isMultiline(value)) return [{ style, text: `${indent}${sign} ${at}: ${show(value)}` }];
  return [
    { style, text: `${indent}${sign} ${at}:` },
    ...value
      .replace(/\n$/, "")
      .split("\n")
      .map((text): Line => ({ style, text: `${indent}${INDENT}${sign} ${text}` })),
  ];
}

function hunkLines(hunks: Hunk[], indent: string): Line[] {
  return hunks.flatMap((h) => [
    { style: "hunk" as const, text: `${indent}@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` },
    ...h.lines.map((l): Line => ({
      style: l.op === "+" ? "added" : l.op === "-" ? "removed" : "context",
      text: `${indent}${l.op} ${l.text}`,
    })),
  ]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The leaves under an added or removed block, by their path inside it; lists of mappings by position. */
function flatten(value: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(value).flatMap(([key, child]): [string[], unknown][] => {
    if (isPlainObject(child) && Object.keys(child).length > 0) return flatten(child, [...prefix, key]);
    if (Array.isArray(child) && child.length > 0 && child.every(isPlainObject)) {
      return child.flatMap((element, i) => flatten({ [`${key}[${i}]`]: element }, prefix));
    }
    return [[[...prefix, key], child]];
  });
}

/** Numbers and booleans as written, strings quoted (so `""` and `"8080"` read as what they are). */
function show(value: unknown): string {
  if (value === undefined) return "(none)";
  return JSON.stringify(value);
}
