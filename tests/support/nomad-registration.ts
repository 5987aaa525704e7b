// A rendered job's services registered in Consul the way Nomad registers its `service` blocks: name, port label
// and tags read from the jobspec with HashiCorp's parser, only the port taken from the test machine. A change
// to a jobspec's services reaches every test that stands in for Nomad, instead of leaving a retyped copy behind.
import type { RenderedJob } from "../../render";
import { registerService, type ConsulAgent } from "./consul";
import { blocks, jobspecServices, labelled, only, parseJobspec } from "./hcl";

export interface JobspecService {
  name: string;
  portLabel: string;
  tags: string[];
}

/** The services a rendered jobspec declares, on its group and on its task. */
export async function jobspecServicesOf(job: RenderedJob): Promise<JobspecService[]> {
  return jobspecServices(await parseJobspec(job.hcl)).map((service) => {
    if (typeof service.name !== "string" || typeof service.port !== "string") {
      throw new Error(`${job.name}: a service without a literal name and port label: ${JSON.stringify(service)}`);
    }
    return { name: service.name, portLabel: service.port, tags: (service.tags as string[] | undefined) ?? [] };
  });
}

/** The static port each port label of the job's group network reserves (`port "metrics" { static = 9100 }`). */
export async function staticPortsOf(job: RenderedJob): Promise<Record<string, number>> {
  const { group } = await parseJobspec(job.hcl);
  const network = only(blocks(group, "network"), `network of ${job.name}`);
  return Object.fromEntries(
    labelled(network, "port")
      .filter(([, port]) => typeof port.static === "number")
      .map(([label, port]) => [label, port.static as number]),
  );
}

/**
 * The test machine's port for each port label of the job, through `moved` (rendered port → test port, e.g. a
 * test Fabio's `movedPorts`): a label whose static port did not move is left out.
 */
export async function testPortsOf(
  job: RenderedJob,
  moved: ReadonlyMap<number, number>,
): Promise<Record<string, number>> {
  return Object.fromEntries(
    Object.entries(await staticPortsOf(job)).flatMap(([label, port]) =>
      moved.has(port) ? [[label, moved.get(port)!]] : [],
    ),
  );
}

/**
 * Registers every service of the job as Nomad would, each on the test machine's port for its port label;
 * a service whose label has no port in `ports` is an error naming it (a stand-in must not skip one silently).
 */
export async function registerJobServices(
  consul: Pick<ConsulAgent, "url">,
  job: RenderedJob,
  ports: Record<string, number>,
  { idPrefix = job.name, checkUrl }: { idPrefix?: string; checkUrl?: (port: number) => string } = {},
): Promise<JobspecService[]> {
  const services = await jobspecServicesOf(job);
  for (const service of services) {
    const port = ports[service.portLabel];
    if (port === undefined) {
      throw new Error(`${job.name}: no test port for service ${service.name}'s port label "${service.portLabel}"`);
    }
    await registerService(consul, {
      id: `${idPrefix}-${service.name}`,
      name: service.name,
      port,
      tags: service.tags,
      ...(checkUrl === undefined ? {} : { checkUrl: checkUrl(port) }),
    });
  }
  return services;
}
