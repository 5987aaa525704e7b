// Parses rendered HCL with HashiCorp's own parser (hcl2json, WASM) for structural assertions.
import { parse } from "@cdktf/hcl2json";

// hcl2json hands back template sequences in source form; undo the HCL escape to get the real value.
export function decodeTemplateEscapes(value: string): string {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** Recursively decodes every string in a parsed document. */
function decodeAll(value: unknown): unknown {
  if (typeof value === "string") return decodeTemplateEscapes(value);
  if (Array.isArray(value)) return value.map(decodeAll);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeAll(v)]));
  }
  return value;
}

export type HclBody = Record<string, unknown>;

// The unit tier parses many texts more than once (each stack's jobspecs, in several files): HashiCorp's parser
// runs once per text and file name, and every caller gets a copy of its own to look at.
const parsed = new Map<string, Promise<HclBody>>();

export async function parseHcl(text: string, fileName = "rendered.hcl"): Promise<HclBody> {
  const key = `${fileName}\0${text}`;
  let result = parsed.get(key);
  if (result === undefined) {
    result = parse(fileName, text).then((doc) => decodeAll(doc) as HclBody);
    parsed.set(key, result);
  }
  return structuredClone(await result);
}

/** hcl2json represents every block as a list; most of ours occur once. */
export function only<T = HclBody>(blocks: unknown, what = "block"): T {
  if (!Array.isArray(blocks) || blocks.length !== 1) {
    throw new Error(`expected exactly one ${what}, got ${JSON.stringify(blocks)}`);
  }
  return blocks[0] as T;
}

export interface ParsedJob {
  id: string;
  job: HclBody;
  group: HclBody;
  task: HclBody;
}

/** The single job, its single group and its main task (or the task named `taskName`), as most assertions want them. */
export async function parseJobspec(text: string, taskName?: string): Promise<ParsedJob> {
  const doc = await parseHcl(text);
  const jobs = doc.job as Record<string, unknown[]>;
  const [id, blocks] = Object.entries(jobs)[0]!;
  const job = only(blocks, "job");
  const [groupName, groupBlocks] = Object.entries(job.group as Record<string, unknown[]>)[0]!;
  const group = only(groupBlocks, "group");
  const tasks = group.task as Record<string, unknown[]>;
  // A group with a sidecar: its main task is named like the group.
  const taskBlocks =
    taskName !== undefined ? tasks[taskName] : (tasks[groupName] ?? only(Object.values(tasks), "task"));
  if (taskBlocks === undefined) throw new Error(`no task "${taskName}" in ${Object.keys(tasks).join(", ")}`);
  return { id, job, group, task: only(taskBlocks, "task") };
}

/** hcl2json gives every block as a list; an absent block is an empty one. */
export function blocks(body: HclBody, key: string): HclBody[] {
  return (body[key] as HclBody[] | undefined) ?? [];
}

/** Blocks with a label (`port "proxy" { … }`) come back as `{ label: [body] }`. */
export function labelled(body: HclBody, key: string): [string, HclBody][] {
  return Object.entries((body[key] as Record<string, HclBody[]> | undefined) ?? {}).map(([label, list]) => [
    label,
    only(list, `${key} "${label}"`),
  ]);
}

/** A parsed jobspec's service blocks, whether declared on the group or on the task. */
export function jobspecServices({ group, task }: Pick<ParsedJob, "group" | "task">): HclBody[] {
  return [...blocks(group, "service"), ...blocks(task, "service")];
}
