// Compares two renders (artifact path → file content), artifact by artifact, at the level each is read.
import { MANIFEST_PATH, type RenderManifest } from "../render";
import { lineDiff, type Hunk } from "./line-diff";
import { hclDocument, jsonDocument, yamlDocument } from "./documents";
import { byCodePoint, compareTrees, leaf, section, type Change, type Node } from "./structure";

/**
 * A render: artifact paths as the render CLI writes them under --out (`jobs/x.nomad.hcl`) → content, with the
 * render's manifest (MANIFEST_PATH) among them.
 */
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
  /** What each render says it holds; absent for a render by code that wrote no manifest. */
  manifests: { before?: RenderManifest; after?: RenderManifest };
}

function manifestOf(tree: RenderTree): RenderManifest | undefined {
  const text = tree.get(MANIFEST_PATH);
  return text === undefined ? undefined : (JSON.parse(text) as RenderManifest);
}

/** Every artifact that differs between the two renders, sorted by path. */
export async function compareRenders(before: RenderTree, after: RenderTree): Promise<TreeComparison> {
  // The manifest describes the artifacts; its changes show in them.
  const manifests = { before: manifestOf(before), after: manifestOf(after) };
  const documents = { before: propertiesOf(manifests.before), after: propertiesOf(manifests.after) };
  const paths = [...new Set([...before.keys(), ...after.keys()])].filter((p) => p !== MANIFEST_PATH).sort(byCodePoint);
  const artifacts: ArtifactDiff[] = [];
  const parsed: ParsedPair[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    if (a === undefined) artifacts.push({ path, status: "added" });
    else if (b === undefined) artifacts.push({ path, status: "removed" });
    else {
      const known = [documents.before.get(path), documents.after.get(path)] as const;
      const result =
        known[0] !== undefined && known[1] !== undefined
          ? parsedDiff(path, known[0], known[1])
          : await compareArtifact(path, a, b);
      artifacts.push(result.diff);
      if (result.pair !== undefined) parsed.push(result.pair);
    }
  }
  return {
    artifacts,
    parsed,
    manifests: {
      ...(manifests.before === undefined ? {} : { before: manifests.before }),
      ...(manifests.after === undefined ? {} : { after: manifests.after }),
    },
  };
}

/** Each fabio.properties artifact as the manifest states it: a section of its properties. */
function propertiesOf(manifest: RenderManifest | undefined): Map<string, Node> {
  const documents = new Map<string, Node>();
  for (const job of manifest?.jobs ?? []) {
    if (job.fabio === undefined) continue;
    const properties = Object.entries(job.fabio.properties).map(([key, value]): [string, Node] => [key, leaf(value)]);
    documents.set(job.fabio.propertiesPath, section(properties));
  }
  return documents;
}

function parsedDiff(path: string, before: Node, after: Node): { diff: ArtifactDiff; pair: ParsedPair } {
  const changes = compareTrees(before, after);
  const note = changes.length === 0 ? "comments or layout only" : undefined;
  return {
    diff: { path, status: "changed", changes, ...(note === undefined ? {} : { note }) },
    pair: { path, before, after, changes },
  };
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
    if (trees !== undefined) return parsedDiff(path, trees[0], trees[1]);
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
