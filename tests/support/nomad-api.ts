// The parts of Nomad's HTTP API the Nomad tier reads (jobs, nodes, plans), and how a plan's outcome is judged.

/** The parts of Nomad's job API (`GET /v1/job/:id`) the tests assert on. */
export interface NomadConstraint {
  LTarget: string;
  RTarget: string;
  Operand: string;
}

export interface NomadPort {
  Label: string;
  Value: number;
  To: number;
}

export interface NomadCheck {
  Name: string;
  Type: string;
  Path: string;
  Interval: number;
  Timeout: number;
}

export interface NomadService {
  Name: string;
  PortLabel: string;
  Tags: string[] | null;
  Checks: NomadCheck[] | null;
}

export interface NomadTemplate {
  DestPath: string;
  ChangeMode: string;
  ChangeSignal: string;
  EmbeddedTmpl: string;
  LeftDelim: string;
  RightDelim: string;
}

export interface NomadTask {
  Name: string;
  Driver: string;
  Config: Record<string, unknown>;
  Services: NomadService[] | null;
  Templates: NomadTemplate[] | null;
}

/** Durations come back in nanoseconds. */
export interface NomadUpdate {
  MaxParallel: number;
  Stagger: number;
  HealthCheck: string;
  MinHealthyTime: number;
  HealthyDeadline: number;
  ProgressDeadline: number;
  AutoRevert: boolean;
}

export interface NomadNetwork {
  ReservedPorts: NomadPort[] | null;
  DynamicPorts: NomadPort[] | null;
}

export interface NomadTaskGroup {
  Name: string;
  Count: number;
  Networks: NomadNetwork[] | null;
  Services: NomadService[] | null;
  Tasks: NomadTask[];
  Update: NomadUpdate | null;
}

export interface NomadJob {
  ID: string;
  Type: string;
  Region: string;
  Datacenters: string[];
  Constraints: NomadConstraint[] | null;
  Update: NomadUpdate;
  TaskGroups: NomadTaskGroup[];
}

export interface NomadNode {
  ID: string;
  Status: string;
  NodeClass: string;
  /** Only in `GET /v1/node/:id`, not in the node list. */
  Meta?: Record<string, string> | null;
  /** Only in `GET /v1/node/:id`: fingerprinted attributes (`consul.version`, `driver.raw_exec`, …). */
  Attributes?: Record<string, string> | null;
  /** Only in `GET /v1/node/:id`. */
  HostVolumes?: Record<string, { Name: string; Path: string; ReadOnly: boolean }> | null;
}

/** A job as the API takes it (`POST /v1/jobs/parse` returns it): the parts the tests change, the rest kept as is. */
export interface NomadJobPayload {
  ID: string;
  Constraints: NomadConstraint[] | null;
  TaskGroups: {
    Name: string;
    Volumes: Record<string, { Name: string; Type: string; Source: string; ReadOnly: boolean }> | null;
    Tasks: { Name: string; Driver: string; [field: string]: unknown }[];
    [field: string]: unknown;
  }[];
  [field: string]: unknown;
}

/** Why the scheduler could not place a group, one `AllocMetric` of a plan's `FailedTGAllocs`. */
interface AllocMetric {
  NodesEvaluated: number;
  NodesExhausted: number;
  ConstraintFiltered: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
}

export interface PlanResponse {
  FailedTGAllocs: Record<string, AllocMetric> | null;
  Annotations: { DesiredTGUpdates: Record<string, { Place: number }> | null };
}

/** What a scheduler dry run (`PUT /v1/job/:id/plan`) would do with a job, per task group. */
export interface PlanOutcome {
  /** Allocations the group would place; a system job places one per feasible node, silently none otherwise. */
  placed: Record<string, number>;
  /** The scheduler's reasons for allocations it could not place, e.g. "missing drivers". */
  failures: Record<string, string[]>;
}

/** Nomad's filter reason for a node without the task's driver (`nomad job plan`: Constraint "missing drivers"). */
export const MISSING_DRIVERS = "missing drivers";

export function failureReasons(metric: AllocMetric): string[] {
  const reasons = [
    ...Object.keys(metric.ConstraintFiltered ?? {}),
    ...Object.keys(metric.DimensionExhausted ?? {}).map((dimension) => `exhausted ${dimension}`),
    ...(metric.QuotaExhausted ?? []).map((quota) => `quota ${quota}`),
  ];
  if (metric.NodesEvaluated === 0) reasons.push("no node in the job's datacenters");
  return reasons.length > 0 ? reasons : ["unplaced, no reason given"];
}

/**
 * The groups a plan does not fully place, with why: a failure reason not in `allowed`, or (when nothing may
 * fail) a group placed nowhere, which is how a system job reports that no node fits. Empty when all is well.
 */
export function placementProblems(outcome: PlanOutcome, allowed: readonly string[] = []): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const [group, placed] of Object.entries(outcome.placed)) {
    const failures = outcome.failures[group] ?? [];
    const unexpected = failures.filter((reason) => !allowed.includes(reason));
    if (unexpected.length > 0) problems[group] = unexpected;
    else if (allowed.length === 0 && placed === 0) problems[group] = ["placed on no node"];
  }
  return problems;
}

/**
 * The job with every task on `driver` instead of its own. Nomad reports only the first check a node fails
 * (1.4 checked the implied Consul constraint before the drivers), so on a machine without Docker a plan may
 * never get to constraints, host volumes, ports or resources; a driver the dev node has (raw_exec) lets the
 * scheduler check them all.
 */
export function withDriver(job: NomadJobPayload, driver: string): NomadJobPayload {
  const copy = structuredClone(job);
  for (const group of copy.TaskGroups) for (const task of group.Tasks) task.Driver = driver;
  return copy;
}

/** A driver every `nomad agent -dev` client has, standing in for Docker in plans. */
export const DOCKER_STAND_IN = "raw_exec";
