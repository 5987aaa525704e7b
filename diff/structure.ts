// Structural comparison of two documents reduced to trees of named sections and leaf values.
import { lineDiff, splitLines, type Hunk } from "./line-diff";

/** A value compared as a whole: a scalar, a list of scalars, or anything without named parts. */
export interface Leaf {
  kind: "leaf";
  value: unknown;
}

/** A block or mapping whose children are addressed by name: `port "proxy"`, `alert "FabioDown"`, `static`. */
export interface Section {
  kind: "section";
  children: Map<string, Node>;
}

export type Node = Leaf | Section;

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
  const a = plain(before);
  const b = plain(after);
  if (sameValue(a, b)) return [];
  if (isMultiline(a) || isMultiline(b)) {
    const hunks = lineDiff(typeof a === "string" ? a : "", typeof b === "string" ? b : "");
    return [{ kind: "changed", path, before: a, after: b, hunks }];
  }
  return [{ kind: "changed", path, before: a, after: b }];
}

/** A node as plain data: sections become objects keyed by their children's names. */
export function plain(node: Node): unknown {
  if (node.kind === "leaf") return node.value;
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
