// Rules Nomad enforces on a jobspec (or that decide whether the job can run at all), stated from Nomad's
// documentation independently of the renderers, and checked on HashiCorp's parse of the rendered text.
// The Nomad tier proves the same jobspecs on a real Nomad; these checks run everywhere.
import { nanoseconds } from "./go-duration";
import { blocks, labelled, parseHcl } from "./hcl";

/** Directories of the task's sandbox a template may write to (Nomad's task directory layout). */
export const TEMPLATE_DIRS = ["local/", "secrets/", "alloc/"] as const;

/** Runtime variables that name a port by its label: NOMAD_ADDR_<label>, NOMAD_PORT_<label>, … */
const PORT_VARIABLE = /\$\{NOMAD_(?:ADDR|PORT|IP|HOST_PORT|HOST_IP|HOST_ADDR|ALLOC_PORT)_([A-Za-z0-9_]+)\}/g;

function isDuration(value: unknown): boolean {
  try {
    return typeof value === "string" && nanoseconds(value) > 0;
  } catch {
    return false;
  }
}

/** Every problem found in one rendered jobspec, as readable sentences; empty when it follows the rules. */
export async function jobspecProblems(hcl: string): Promise<string[]> {
  const problems: string[] = [];
  const jobs = labelled(await parseHcl(hcl), "job");
  if (jobs.length !== 1) return [`expected one job block, found ${jobs.length}`];
  const [jobId, job] = jobs[0]!;
  if (!["service", "system", "batch", "sysbatch"].includes(String(job.type))) {
    problems.push(`job "${jobId}": type ${JSON.stringify(job.type)} is not a Nomad job type`);
  }
  for (const [groupName, group] of labelled(job, "group")) {
    const where = `job "${jobId}" › group "${groupName}"`;
    const ports = new Set(
      blocks(group, "network").flatMap((network) => labelled(network, "port").map(([label]) => label)),
    );
    const volumes = new Set(labelled(group, "volume").map(([name]) => name));
    const services = [
      ...blocks(group, "service"),
      ...labelled(group, "task").flatMap(([, task]) => blocks(task, "service")),
    ];
    for (const service of services) {
      if (typeof service.port === "string" && !ports.has(service.port)) {
        problems.push(`${where} › service "${String(service.name)}": port "${service.port}" is not declared`);
      }
      for (const check of blocks(service, "check")) {
        const name = `${where} › service "${String(service.name)}" › check "${String(check.name)}"`;
        for (const key of ["interval", "timeout"]) {
          if (!isDuration(check[key])) problems.push(`${name}: ${key} ${JSON.stringify(check[key])} is not a duration`);
        }
        if (check.type === "http" && !(typeof check.path === "string" && check.path.startsWith("/"))) {
          problems.push(`${name}: an http check needs an absolute path`);
        }
      }
    }
    for (const [taskName, task] of labelled(group, "task")) {
      const at = `${where} › task "${taskName}"`;
      const text = JSON.stringify(task);
      for (const [, label] of text.matchAll(PORT_VARIABLE)) {
        if (!ports.has(label!))
          problems.push(`${at}: uses the port label "${label}", which the group does not declare`);
      }
      const hostNetwork = blocks(task, "config").some((config) => config.network_mode === "host");
      if (hostNetwork && ports.size === 0) problems.push(`${at}: listens on the host network but reserves no port`);
      for (const template of blocks(task, "template")) {
        const destination = String(template.destination);
        if (!TEMPLATE_DIRS.some((dir) => destination.startsWith(dir)) || destination.split("/").includes("..")) {
          problems.push(`${at}: template destination "${destination}" is outside ${TEMPLATE_DIRS.join(", ")}`);
        }
        if (template.change_mode === "signal" && typeof template.change_signal !== "string") {
          problems.push(`${at}: template "${destination}" has change_mode signal without change_signal`);
        }
      }
      for (const mount of blocks(task, "volume_mount")) {
        if (!volumes.has(String(mount.volume)))
          problems.push(`${at}: mounts volume "${String(mount.volume)}", which the group does not declare`);
      }
      for (const resources of blocks(task, "resources")) {
        for (const key of ["cpu", "memory"]) {
          const value = resources[key];
          if (!Number.isInteger(value) || (value as number) <= 0)
            problems.push(`${at}: resources.${key} ${JSON.stringify(value)} is not a positive whole number`);
        }
      }
    }
  }
  return problems;
}
