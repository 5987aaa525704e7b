// Compares two renders (artifact path → file content), artifact by artifact, at the level each is read.
import { lineDiff, type Hunk } from "./line-diff";
import { hclDocument, jsonDocument, yamlDocument } from "./documents";
import { byCodePoint, compareTrees, type Change, type Node } from "./structure";

/** A render: artifact paths as the render CLI writes them under --out (`jobs/x.nomad.hcl`) → content. */
export type RenderTree = ReadonlyMap<string, string>;

export type ArtifactDiff =
  | { path: string; status: "added" | "removed" }
  | {
      path: string;
      status: "changed";
      /** Structural changes; empty when only comments or layout differ (see `note`). */
      changes: Change[];
      /** The line diff of the whole file, when it could not be compared as structure. */
      hunks?: Hunk[];
      note?: string;
    };

/** The artifact trees as parsed, kept for the consequence analysis (both sides of a changed jobspec). */
export interface ParsedPair {
  path: string;
  before: Node;
  after: Node;
  changes: Change[];
}

export interface TreeComparison {
  artifacts: ArtifactDiff[];
  parsed: ParsedPair[];
}

/** Every artifact that differs between the two renders, sorted by path. */
export async function compareRenders(before: RenderTree, after: RenderTree): Promise<TreeComparison> {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint);
  const artifacts: ArtifactDiff[] = [];
  const parsed: ParsedPair[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    if (a === undefined) artifacts.push({ path, status: "added" });
    else if (b === undefined) artifacts.push({ path, status: "removed" });
    else {
      const result = await compareArtifact(path, a, b);
      artifacts.push(result.diff);
      if (result.pair !== undefined) parsed.push(result.pair);
    }
  }
  return { artifacts, parsed };
}

async function compareArtifact(
  path: string,
  before: string,
  after: string,
): Promise<{ diff: ArtifactDiff; pair?: ParsedPair }> {
  const parse = parserFor(path);
  if (parse !== undefined) {
    let trees: [Node, Node] | undefined;
    try {
      trees = [await parse(before, path), await parse(after, path)];
    } catch {
      trees = undefined; // not parseable on one side: fall back to the line diff below
    }
    if (trees !== undefined) {
      const changes = compareTrees(trees[0], trees[1]);
      const note = changes.length === 0 ? "comments or layout only" : undefined;
      return {
        diff: { path, status: "changed", changes, ...(note === undefined ? {} : { note }) },
        pair: { path, before: trees[0], after: trees[1], changes },
      };
    }
  }
  return { diff: { path, status: "changed", changes: [], hunks: lineDiff(before, after) } };
}

type Parser = (text: string, path: string) => Node | Promise<Node>;

function parserFor(path: string): Parser | undefined {
  if (path.endsWith(".hcl")) return hclDocument;
  if (path.endsWith(".yml") || path.endsWith(".yaml")) return yamlDocument;
  if (path.endsWith(".json")) return jsonDocument;
  return undefined;
}
