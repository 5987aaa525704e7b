// A stack on loopback: dev's stack file with every static port moved to a free one, and services registered in
// a real Consul the way Nomad registers the rendered jobspecs' services.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { FABIO_ROLES } from "../../config";
import type { RenderedJob } from "../../render";
import type { Agent } from "./agents";
import { blocks, jobspecServices, parseJobspec, type HclBody } from "./hcl";
import { freePorts, http, tempDir } from "./processes";
import { stackFile } from "./stack";

/** dev's stack file with every static port moved to a free one and 1s scrape/evaluation intervals. */
export async function writeStackFile(): Promise<string> {
  const doc = parseDocument(fs.readFileSync(stackFile("dev"), "utf8"));
  const ns = "rocketmq-system-jobs";
  const [consulHttp, ...fabioPorts] = await freePorts(7);
  for (const [i, role] of FABIO_ROLES.entries()) {
    for (const [j, key] of ["proxyPort", "uiPort", "metricsPort"].entries()) {
      doc.setIn(["config", `${ns}:fabio`, role, key], fabioPorts[i * 3 + j]);
    }
  }
  doc.setIn(["config", `${ns}:consul`, "address"], `127.0.0.1:${consulHttp}`);
  doc.setIn(["config", `${ns}:images`, "consulServer", "httpPort"], consulHttp);
  doc.setIn(["config", `${ns}:prometheus`, "scrapeInterval"], "1s");
  doc.setIn(["config", `${ns}:prometheus`, "evaluationInterval"], "1s");
  const file = path.join(tempDir("verify-stack"), "Pulumi.verify.yaml");
  fs.writeFileSync(file, doc.toString());
  return file;
}

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
