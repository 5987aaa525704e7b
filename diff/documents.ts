// Parsed documents (HCL through HashiCorp's parser, YAML, JSON) as trees of named sections.
import { parse as parseHclJson } from "@cdktf/hcl2json";
import { parse as parseYaml } from "yaml";
import { leaf, list, section, type Node } from "./structure";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isObjectList(value: unknown): value is Json[] {
  return Array.isArray(value) && value.length > 0 && value.every(isObject);
}

/** `port "proxy"`: a block type or list name with the value that identifies the element. */
function labelled(kind: string, id: string): string {
  return `${kind} ${JSON.stringify(id)}`;
}

/**
 * The attribute that tells repeated elements apart, if every element has a different one: a service or
 * check by `name`, a template by `destination`, a scrape job by `job_name`, a rule by `alert`.
 */
function identityOf(elements: Json[], candidates: readonly string[]): string | undefined {
  return candidates.find((key) => {
    const ids = elements.map((e) => e[key]);
    return ids.every((id) => typeof id === "string") && new Set(ids).size === ids.length;
  });
}

// ── HCL ────────────────────────────────────────────────────────────────────────────────────────────────

/** Attributes that identify repeated unlabelled blocks (`service`, `check`, `template`). */
const HCL_IDENTITIES = ["name", "destination"] as const;

/** hcl2json returns template sequences in source form; the reader wants the value Nomad sees. */
function decodeTemplateEscapes(value: string): string {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** Parses HCL with HashiCorp's parser; throws with the parser's message when it is not valid HCL. */
export async function hclDocument(text: string, fileName: string): Promise<Node> {
  return hclBody((await parseHclJson(fileName, text)) as Json);
}

/**
 * hcl2json writes a block `type "label" { … }` as `{type: {label: [body]}}`, an unlabelled block as
 * `{type: [body]}`, and an attribute as its value. Blocks become sections named like `nomad job plan`
 * names them; attributes become leaves (a map attribute becomes a section of its keys).
 */
function hclBody(body: Json): Node {
  const children: [string, Node][] = [];
  for (const [key, value] of Object.entries(body)) {
    if (isObjectList(value)) children.push(...hclBlocks(key, value));
    else if (isObject(value) && isLabelledBlocks(value)) children.push(...hclLabelledBlocks(key, value));
    else if (isObject(value) && Object.keys(value).length > 0) children.push([key, hclMap(value)]);
    else if (Array.isArray(value)) children.push([key, list(value.map((v) => leaf(decodeValue(v))))]);
    else children.push([key, leaf(decodeValue(value))]);
  }
  return section(children);
}

function isLabelledBlocks(value: Json): boolean {
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((v) => isObjectList(v) || (isObject(v) && isLabelledBlocks(v)));
}

function hclBlocks(type: string, blocks: Json[]): [string, Node][] {
  const id = identityOf(blocks, HCL_IDENTITIES);
  if (id !== undefined) return blocks.map((b) => [labelled(type, b[id] as string), hclBody(b)]);
  if (blocks.length === 1) return [[type, hclBody(blocks[0]!)]];
  return blocks.map((b, i) => [`${type} #${i + 1}`, hclBody(b)]);
}

function hclLabelledBlocks(prefix: string, byLabel: Json): [string, Node][] {
  return Object.entries(byLabel).flatMap(([label, value]): [string, Node][] => {
    const name = labelled(prefix, label);
    if (isObject(value)) return hclLabelledBlocks(name, value);
    const blocks = value as Json[];
    if (blocks.length === 1) return [[name, hclBody(blocks[0]!)]];
    return blocks.map((b, i) => [`${name} #${i + 1}`, hclBody(b)]);
  });
}

function hclMap(map: Json): Node {
  return section(Object.entries(map).map(([k, v]) => [k, leaf(decodeValue(v))]));
}

function decodeValue(value: unknown): unknown {
  if (typeof value === "string") return decodeTemplateEscapes(value);
  if (Array.isArray(value)) return value.map(decodeValue);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(v)]));
  return value;
}

// ── YAML and JSON ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Attributes that identify list elements, and how an element is named by each: a scrape config is
 * `job "nomad-servers"`, a rule `alert "FabioDown"`, a rule group or anything else with a name is
 * `<list> "<name>"`.
 */
const DATA_IDENTITIES: Record<string, string | undefined> = {
  job_name: "job",
  alert: "alert",
  record: "record",
  name: undefined,
};

export function yamlDocument(text: string): Node {
  return dataNode(parseYaml(text) as unknown);
}

export function jsonDocument(text: string): Node {
  return dataNode(JSON.parse(text) as unknown);
}

/** Mappings become sections; lists of mappings become their elements, placed in the parent by identity. */
function dataNode(value: unknown): Node {
  if (!isObject(value)) return leaf(value);
  const children: [string, Node][] = [];
  for (const [key, child] of Object.entries(value)) {
    if (isObjectList(child)) children.push(...dataList(key, child));
    // A list of scalars (flags, tags, services) element by element: one changed element is one change.
    else if (Array.isArray(child)) children.push([key, list(child.map(dataNode))]);
    else children.push([key, dataNode(child)]);
  }
  return section(children);
}

function dataList(key: string, elements: Json[]): [string, Node][] {
  const id = identityOf(elements, Object.keys(DATA_IDENTITIES));
  if (id === undefined) return [[key, list(elements.map(dataNode))]];
  const kind = DATA_IDENTITIES[id] ?? key;
  return elements.map((e) => [labelled(kind, e[id] as string), dataNode(e)]);
}
