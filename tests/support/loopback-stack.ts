// A stack on loopback (a stack file from quick-start.ts' stackFileOnFreePorts): a Consul server from its image
// files, both Fabios from their rendered properties, services registered the way Nomad registers the jobspecs'.
import { FABIO_ROLES, loadStackFile, type FabioRole, type StackConfig } from "../../config";
import { renderImageFiles, renderJobs, type RenderedJob } from "../../render";
import { startConsulServer, type Agent } from "./agents";
import { startFabio, type Fabio } from "./fabio";
import { fabioPropertiesOf } from "./fabio-task";
import { blocks, jobspecServices, labelled, parseJobspec, type HclBody } from "./hcl";
import { http } from "./processes";
import { modelOf } from "./stack";

/**
 * What Nomad does for a running allocation: registers each service block of the rendered jobspec with the
 * node's Consul agent, at the port its label maps to, with its HTTP checks.
 */
export async function registerLikeNomad(
  consul: Pick<Agent, "url">,
  job: RenderedJob,
  portOf: (label: string) => number,
): Promise<void> {
  for (const service of jobspecServices(await parseJobspec(job.hcl))) {
    const port = portOf(String(service.port));
    const checks = blocks(service, "check").map((check: HclBody) => ({
      Name: String(check.name),
      HTTP: `http://127.0.0.1:${port}${String(check.path)}`,
      Interval: "1s",
      Timeout: "1s",
    }));
    const name = String(service.name);
    const body = { ID: `${name}-1`, Name: name, Port: port, Address: "127.0.0.1", Tags: service.tags };
    const { status, text } = await http(`${consul.url}/v1/agent/service/register`, {
      method: "PUT",
      body: { ...body, Checks: checks },
    });
    if (status !== 200) throw new Error(`registering ${String(service.name)}: ${status} ${text}`);
  }
}

/** Registers a service (its ID is its name) on the test node, with one HTTP check. */
export async function register(consul: Agent, service: { name: string; port: number; tags: string[]; check: string }) {
  const body = {
    ID: service.name,
    Name: service.name,
    Port: service.port,
    Address: "127.0.0.1",
    Tags: service.tags,
    Check: { HTTP: service.check, Interval: "1s", Timeout: "1s" },
  };
  const { status, text } = await http(`${consul.url}/v1/agent/service/register`, { method: "PUT", body });
  if (status !== 200) throw new Error(`registering ${service.name}: ${status} ${text}`);
}

export async function deregister(consul: Agent, id: string): Promise<void> {
  await http(`${consul.url}/v1/agent/service/deregister/${id}`, { method: "PUT" });
}

export interface LoopbackStack {
  cfg: StackConfig;
  consul: Agent;
  /** host:port of the Consul server's HTTP API (the stack file's consul.address). */
  consulAddr: string;
  fabios: Record<FabioRole, Fabio>;
}

/**
 * A Consul server from the stack's image files and both Fabios from their rendered properties at the stack
 * file's static ports, registered the way Nomad registers the rendered jobspecs' services.
 */
export async function startLoopbackStack(file: string, stack: string): Promise<LoopbackStack> {
  const cfg = loadStackFile(file);
  const httpPort = cfg.images.consulServer.httpPort;
  const consulAddr = `127.0.0.1:${httpPort}`;
  const imageFiles = renderImageFiles(modelOf(cfg, stack)).filter((f) =>
    ["consul-server.hcl", "consul_service.json"].includes(f.name),
  );
  const consul = await startConsulServer(imageFiles, httpPort);
  const jobs = renderJobs(modelOf(cfg, stack));
  const fabios = {} as Record<FabioRole, Fabio>;
  for (const role of FABIO_ROLES) {
    const instance = cfg.fabio[role];
    const job = jobs.find((j) => j.name === instance.jobName)!;
    fabios[role] = await startFabio(
      await fabioPropertiesOf(job),
      { httpAddr: consulAddr },
      {},
      {},
      { proxyPorts: [instance.proxyPort, instance.metricsPort], uiPort: instance.uiPort },
    );
    // The jobspec's static ports are the stack file's, so its port labels map to them unchanged.
    const { group } = await parseJobspec(job.hcl);
    const statics = new Map(
      labelled(blocks(group, "network")[0]!, "port").map(([label, port]) => [label, Number(port.static)]),
    );
    await registerLikeNomad(consul, job, (label) => statics.get(label)!);
  }
  return { cfg, consul, consulAddr, fabios };
}
