// What a jobspec change means for running allocations, where the diff alone tells.
import type { ManifestJob, RenderManifest } from "../render";
import type { ParsedPair, TreeComparison } from "./artifacts";
import { byCodePoint, type Change, type Node, type Section } from "./structure";

/** What the manifests say about the jobs that the rendered files do not state. */
interface StackFacts {
  /** Job of the Fabio RocketMQ clients query for NameServer addresses. */
  nameServerIndexJob?: string;
  /** Jobs placed on every NameServer host (the Fabios). */
  nameServerHostJobs: readonly string[];
  /** Each job by its jobspec's artifact path, from either render (the working tree's wins). */
  jobsByJobspec: ReadonlyMap<string, ManifestJob>;
  /** The base render's jobs by name. */
  before: ReadonlyMap<string, ManifestJob>;
}

function factsOf(manifests: { before?: RenderManifest; after?: RenderManifest }): StackFacts {
  const after = manifests.after?.jobs ?? [];
  const before = manifests.before?.jobs ?? [];
  return {
    nameServerIndexJob: after.find((job) => job.fabio?.nameServerIndex === true)?.name,
    nameServerHostJobs: after.filter((job) => job.onNameServerHosts).map((job) => job.name),
    jobsByJobspec: new Map([...before, ...after].map((job) => [job.jobspec, job])),
    before: new Map(before.map((job) => [job.name, job])),
  };
}

export interface Consequence {
  job: string;
  kind: "restart" | "port" | "tagPrefix" | "stop";
  message: string;
}

/**
 * Task fields whose change makes Nomad replace the allocation instead of updating it in place (its
 * scheduler's `tasksUpdated`): the task stops and a new one starts. A template change is one of them: the
 * template's change_mode applies only when consul-template re-renders it at run time.
 */
const REPLACING_TASK_FIELDS = new Set([
  "artifact",
  "config",
  "driver",
  "env",
  "meta",
  "resources",
  "template",
  "user",
  "vault",
  "volume_mount",
]);
/** Group fields whose change replaces every allocation of the group. */
const REPLACING_GROUP_FIELDS = new Set(["network", "volume", "ephemeral_disk", "meta"]);

export function consequencesOf(comparison: TreeComparison): Consequence[] {
  const facts = factsOf(comparison.manifests);
  const stopped = comparison.artifacts.flatMap((artifact): Consequence[] => {
    const job = facts.jobsByJobspec.get(artifact.path)?.name;
    if (job === undefined || artifact.status !== "removed") return [];
    return [{ job, kind: "stop", message: `job ${q(job)} is removed: Nomad stops all its allocations` }];
  });
  const changed = comparison.parsed
    .filter((p) => facts.jobsByJobspec.has(p.path))
    .flatMap((pair) => jobConsequences(pair, facts, comparison.manifests.after));
  return [...stopped, ...changed];
}

function jobConsequences(pair: ParsedPair, facts: StackFacts, after: RenderManifest | undefined): Consequence[] {
  const out: Consequence[] = [];
  const restarts = new Map<string, { job: string; group: string; task: string; reasons: Set<string> }>();
  const restart = (job: string, group: string, task: string, reason: string) => {
    const key = JSON.stringify([job, group, task]);
    const entry = restarts.get(key) ?? { job, group, task, reasons: new Set<string>() };
    entry.reasons.add(reason);
    restarts.set(key, entry);
  };

  for (const change of pair.changes) {
    const [jobSeg, groupSeg, third, fourth] = change.path;
    const job = labelOf(jobSeg, "job");
    const group = labelOf(groupSeg, "group");
    if (job === undefined) continue;
    const where = placement(job, pair.after, facts);

    if (group !== undefined && third !== undefined) {
      const task = labelOf(third, "task");
      if (task !== undefined && fourth !== undefined && REPLACING_TASK_FIELDS.has(fieldType(fourth))) {
        restart(job, group, task, fourth);
      } else if (task === undefined && REPLACING_GROUP_FIELDS.has(fieldType(third))) {
        for (const t of tasksOf(pair.after, job, group)) restart(job, group, t, third);
      }
    }
    const port = staticPortMove(change);
    if (port !== undefined) {
      out.push({ job, kind: "port", message: portMessage(job, port, where, facts) });
    }
  }
  // The Fabio's tag prefix, as both renders' manifests state it.
  for (const job of after?.jobs ?? []) {
    if (job.jobspec !== pair.path) continue;
    const prefixes = { before: facts.before.get(job.name)?.fabio?.tagPrefix, after: job.fabio?.tagPrefix };
    if (prefixes.before !== undefined && prefixes.after !== undefined && prefixes.before !== prefixes.after) {
      out.push({
        job: job.name,
        kind: "tagPrefix",
        message: tagPrefixMessage(job.name, { before: prefixes.before, after: prefixes.after }, facts),
      });
    }
  }

  const restartLines: Consequence[] = [];
  for (const { job, group, task, reasons } of restarts.values()) {
    const where = placement(job, pair.after, facts);
    const why = [...reasons].sort(byCodePoint).join(" and ");
    const modes = [...reasons]
      .filter((r) => fieldType(r) === "template")
      .map((r) => leafAt(pair.after, [`job ${q(job)}`, `group ${q(group)}`, `task ${q(task)}`, r, "change_mode"]))
      .filter((mode): mode is string => typeof mode === "string" && mode !== "restart");
    const modeNote =
      modes.length === 0
        ? ""
        : ` (change_mode ${[...new Set(modes)].map(q).join(", ")} applies only when consul-template re-renders at run time)`;
    restartLines.push({
      job,
      kind: "restart",
      message: `task ${q(task)} of job ${q(job)} restarts${where}: Nomad replaces the allocation because its ${why} changed${modeNote}`,
    });
  }
  return [...restartLines, ...out];
}

function q(value: string): string {
  return JSON.stringify(value);
}

/** `task "fabio"` → `fabio` when the segment is of that block type. */
function labelOf(segment: string | undefined, type: string): string | undefined {
  const match = segment === undefined ? null : /^(\S+) (".*")$/.exec(segment);
  if (match === null || match[1] !== type) return undefined;
  return JSON.parse(match[2]!) as string;
}

/** `template "local/x"` → `template`; `constraint #2` → `constraint`. */
function fieldType(segment: string): string {
  return segment.split(" ")[0]!;
}

function childSection(node: Node | undefined, name: string): Section | undefined {
  if (node?.kind !== "section") return undefined;
  const child = node.children.get(name);
  return child?.kind === "section" ? child : undefined;
}

function leafAt(root: Node, path: string[]): unknown {
  let node: Node | undefined = root;
  for (const name of path) node = node?.kind === "section" ? node.children.get(name) : undefined;
  return node?.kind === "leaf" ? node.value : undefined;
}

function tasksOf(root: Node, job: string, group: string): string[] {
  const groupNode = childSection(childSection(root, `job ${q(job)}`), `group ${q(group)}`);
  if (groupNode === undefined) return [];
  return [...groupNode.children.keys()].map((k) => labelOf(k, "task")).filter((t): t is string => t !== undefined);
}

/** Where a job's allocations are, said the way a reviewer thinks of the hosts. */
function placement(job: string, root: Node, facts: StackFacts): string {
  if (facts.nameServerHostJobs.includes(job)) return " on every NameServer host";
  if (leafAt(root, [`job ${q(job)}`, "type"]) === "system") return " on every node the job runs on";
  return "";
}

interface PortMove {
  port: string;
  before?: number;
  after?: number;
}

/** A static port changed, added or removed: `… › network › port "proxy" › static` or the whole port. */
function staticPortMove(change: Change): PortMove | undefined {
  const [, , network, portSeg, field] = change.path;
  const port = labelOf(portSeg, "port");
  if (network !== "network" || port === undefined) return undefined;
  const staticOf = (value: unknown, whole: boolean): number | undefined => {
    const v = whole ? (value as { static?: unknown } | null)?.static : value;
    return typeof v === "number" ? v : undefined;
  };
  const whole = field === undefined;
  if (!whole && field !== "static") return undefined;
  const move: PortMove =
    change.kind === "changed"
      ? { port, before: staticOf(change.before, whole), after: staticOf(change.after, whole) }
      : change.kind === "added"
        ? { port, after: staticOf(change.value, whole) }
        : { port, before: staticOf(change.value, whole) };
  return move.before === undefined && move.after === undefined ? undefined : move;
}

function portMessage(job: string, move: PortMove, where: string, facts: StackFacts): string {
  const hosts = where === "" ? " on the host running it" : where;
  const subject = `static port ${q(move.port)} of job ${q(job)}`;
  let message: string;
  if (move.before === undefined) message = `${subject} opens a new listener on ${move.after}${hosts}`;
  else if (move.after === undefined) message = `${subject} stops listening on ${move.before}${hosts}`;
  else
    message = `${subject} moves its listener ${move.before} → ${move.after}${hosts}: clients and firewalls must follow`;
  if (job === facts.nameServerIndexJob && move.port === "proxy") {
    message += " (RocketMQ clients ask port 8080 unless rocketmq.namesrv.domain says host:port)";
  }
  return message;
}

function tagPrefixMessage(job: string, p: { before: string; after: string }, facts: StackFacts): string {
  const subject = `tag prefix of job ${q(job)} changes ${q(p.before)} → ${q(p.after)}`;
  if (job === facts.nameServerIndexJob) {
    return `${subject}: every NameServer lookup is re-routed; only services tagged ${q(`${p.after}/rocketmq/<subgroup>`)} answer (re-tag each cluster's NameServer-index service with nameServerIndexTags and the new nameServerIndexStack)`;
  }
  return `${subject}: every route it serves is rebuilt from services tagged ${q(`${p.after}…`)}; services still tagged ${q(`${p.before}…`)} drop out`;
}
