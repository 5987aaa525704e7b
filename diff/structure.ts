// Structural comparison of two documents reduced to trees of named sections and leaf values.
import { diffArrays } from "diff";
import { lineDiff, splitLines, type Hunk } from "./line-diff";

/** A value compared as a whole: a scalar, or anything without named parts. */
export interface Leaf {
  kind: "leaf";
  value: unknown;
}

/** A block or mapping whose children are addressed by name: `port "proxy"`, `alert "FabioDown"`, `static`. */
export interface Section {
  kind: "section";
  children: Map<string, Node>;
}

/** Elements without a name of their own (args, relabel configs, rule test cases): compared by alignment. */
export interface List {
  kind: "list";
  items: Node[];
}

export type Node = Leaf | Section | List;

/** One difference, addressed by the path of names from the document's root. */
export type Change =
  | { kind: "changed"; path: string[]; before: unknown; after: unknown; hunks?: Hunk[] }
  | { kind: "added"; path: string[]; value: unknown }
  | { kind: "removed"; path: string[]; value: unknown };

export function leaf(value: unknown): Leaf {
  return { kind: "leaf", value };
}

export function section(entries: Iterable<[string, Node]> = []): Section {
  return { kind: "section", children: new Map(entries) };
}

export function list(items: Node[]): List {
  return { kind: "list", items };
}

/** Every difference between two trees, in a stable order (names sorted at each level). */
export function compareTrees(before: Node, after: Node, path: string[] = []): Change[] {
  if (before.kind === "section" && after.kind === "section") {
    const names = [...new Set([...before.children.keys(), ...after.children.keys()])].sort(byCodePoint);
    return names.flatMap((name) => {
      const a = before.children.get(name);
      const b = after.children.get(name);
      const at = [...path, name];
      if (a === undefined) return [{ kind: "added" as const, path: at, value: plain(b!) }];
      if (b === undefined) return [{ kind: "removed" as const, path: at, value: plain(a) }];
      return compareTrees(a, b, at);
    });
  }
  if (before.kind === "list" && after.kind === "list") return compareLists(before, after, path);
  const a = plain(before);
  const b = plain(after);
  if (sameValue(a, b)) return [];
  if (isMultiline(a) || isMultiline(b)) {
    const hunks = lineDiff(typeof a === "string" ? a : "", typeof b === "string" ? b : "");
    return [{ kind: "changed", path, before: a, after: b, hunks }];
  }
  return [{ kind: "changed", path, before: a, after: b }];
}

/**
 * Aligns the elements by their longest common subsequence, so one inserted element is one addition rather
 * than a change to every element after it. Within a run of differing elements, removed and added ones are
 * paired in order and compared field by field; the rest are removed or added. An element is named by its
 * position on the side it is on: `tests[3]`.
 */
function compareLists(before: List, after: List, path: string[]): Change[] {
  const key = (node: Node) => JSON.stringify(plain(node));
  const script = diffArrays(before.items.map(key), after.items.map(key));
  const at = (index: number) => [...path.slice(0, -1), `${path[path.length - 1] ?? ""}[${index}]`];
  const changes: Change[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k < script.length;) {
    const part = script[k]!;
    if (!part.added && !part.removed) {
      i += part.count;
      j += part.count;
      k++;
      continue;
    }
    let removed = 0;
    let added = 0;
    for (; k < script.length && (script[k]!.added || script[k]!.removed); k++) {
      if (script[k]!.removed) removed += script[k]!.count;
      else added += script[k]!.count;
    }
    const paired = Math.min(removed, added);
    for (let n = 0; n < paired; n++)
      changes.push(...compareTrees(before.items[i + n]!, after.items[j + n]!, at(j + n)));
    for (let n = paired; n < removed; n++)
      changes.push({ kind: "removed", path: at(i + n), value: plain(before.items[i + n]!) });
    for (let n = paired; n < added; n++)
      changes.push({ kind: "added", path: at(j + n), value: plain(after.items[j + n]!) });
    i += removed;
    j += added;
  }
  return changes;
}

/** A node as plain data: sections become objects keyed by their children's names. */
export function plain(node: Node): unknown {
  if (node.kind === "leaf") return node.value;
  if (node.kind === "list") return node.items.map(plain);
  const names = [...node.children.keys()].sort(byCodePoint);
  return Object.fromEntries(names.map((name) => [name, plain(node.children.get(name)!)]));
}

export function isMultiline(value: unknown): value is string {
  return typeof value === "string" && splitLines(value).length > 1;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Locale-independent order, so the same change reads the same on every machine. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
