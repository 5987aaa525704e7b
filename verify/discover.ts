// Reads what Consul and Nomad know about the stack: the Fabio services and NameServer-index services, the
// agents, the selected Nomad nodes and the Fabio jobs' allocations.
import type { z } from "zod";
import { FABIO_ROLES, type FabioRole } from "../config";
import type { StackModel } from "../model";
import { nameServerIndexMarkedSubgroup, nameServerIndexSubgroup } from "../render";
import type { HttpClient } from "./http";
import {
  AnswerError,
  consulHealth,
  consulServices,
  nomadAllocations,
  nomadNode,
  nomadNodes,
  oneLine,
  parseAnswer,
  raftPeers,
  type NomadAllocation,
  type NomadNodeStub,
} from "./responses";
import { hostOf, instancesOf, type ConsulView, type IndexService, type NomadView } from "./views";

/** An HTTP API and the headers every request to it carries (the token, when one is set). */
export interface Api {
  url: string;
  headers: Record<string, string>;
}

/** GETs a JSON document; any failure becomes an AnswerError naming the request. */
export async function getJson<T>(client: HttpClient, api: Api, path: string, schema: z.ZodType<T>): Promise<T> {
  const what = `GET ${api.url}${path}`;
  const answer = await client.get(`${api.url}${path}`, api.headers);
  if (!answer.ok) throw new AnswerError(`${what}: ${answer.error}`);
  if (answer.status !== 200) throw new AnswerError(`${what}: HTTP ${answer.status} ${oneLine(answer.text)}`);
  return parseAnswer(schema, answer.text, what);
}

const service = (name: string, tag?: string) =>
  `/v1/health/service/${encodeURIComponent(name)}${tag === undefined ? "" : `?tag=${encodeURIComponent(tag)}`}`;

/**
 * Services of the stack's NameServer index, with the subgroups they claim: by a route tag of the stack's index
 * prefix or by a marker tag (a service that lost its route tag is still checked, and its lookup fails).
 */
export function indexServiceNames(model: StackModel, services: Record<string, string[] | null>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const stack = model.nameServerIndexStack;
  for (const [name, tags] of Object.entries(services)) {
    const subgroups = (tags ?? [])
      .map((tag) => nameServerIndexSubgroup(stack, tag) ?? nameServerIndexMarkedSubgroup(stack, tag))
      .filter((subgroup): subgroup is string => subgroup !== undefined);
    if (subgroups.length > 0) found.set(name, [...new Set(subgroups)].sort());
  }
  return found;
}

export async function discoverConsul(model: StackModel, client: HttpClient, consul: Api): Promise<ConsulView> {
  const fabio = {} as ConsulView["fabio"];
  for (const role of FABIO_ROLES) {
    // Only this stack's hosts: another stack on the same Consul registers Fabios under the same names.
    const instances = await getJson(client, consul, service(model.fabios[role].name, model.clusterTag), consulHealth);
    fabio[role] = instancesOf(instances);
  }
  const services = await getJson(client, consul, "/v1/catalog/services", consulServices);
  const indexServices: IndexService[] = [];
  for (const [name, subgroups] of indexServiceNames(model, services)) {
    const instances = instancesOf(await getJson(client, consul, service(name), consulHealth));
    indexServices.push({ name, subgroups, instances });
  }
  const servers = (await getJson(client, consul, "/v1/status/peers", raftPeers)).map(hostOf);
  const prometheus = instancesOf(
    await getJson(client, consul, service(model.prometheus.name, model.prometheus.routeTag), consulHealth),
  );
  const catalog = Object.fromEntries(Object.entries(services).map(([name, tags]) => [name, tags ?? []]));
  return { fabio, indexServices, servers, services: catalog, prometheus };
}

/** Whether the jobs' host selection (`nameServerHosts`) picks a node; meta needs the node's full record. */
async function isSelected(
  cfg: StackModel["config"],
  node: NomadNodeStub,
  read: <T>(path: string, schema: z.ZodType<T>) => Promise<T>,
): Promise<boolean> {
  const hosts = cfg.nameServerHosts;
  switch (hosts.by) {
    case "nodeClass":
      return node.NodeClass === hosts.nodeClass;
    case "meta": {
      const { Meta } = await read(`/v1/node/${encodeURIComponent(node.ID)}`, nomadNode);
      return (Meta ?? {})[hosts.key] === hosts.value;
    }
    default: {
      const unreachable: never = hosts;
      throw new Error(`unknown host selection ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function discoverNomad(model: StackModel, client: HttpClient, nomad: Api): Promise<NomadView> {
  const cfg = model.config;
  const region = `region=${encodeURIComponent(cfg.nomad.region)}`;
  const read = <T>(path: string, schema: z.ZodType<T>) =>
    getJson(client, nomad, `${path}${path.includes("?") ? "&" : "?"}${region}`, schema);
  const clients = (await read("/v1/nodes", nomadNodes)).filter(
    (node) => node.Status === "ready" && cfg.nomad.datacenters.includes(node.Datacenter),
  );
  const selected: NomadNodeStub[] = [];
  for (const node of clients) if (await isSelected(cfg, node, read)) selected.push(node);
  const allocations = {} as Record<FabioRole, NomadAllocation[] | { error: string }>;
  for (const role of FABIO_ROLES) {
    const job = model.fabios[role].name;
    try {
      allocations[role] = await read(`/v1/job/${encodeURIComponent(job)}/allocations`, nomadAllocations);
    } catch (err) {
      // A job that is not there is a finding about the deployment, not a failure to talk to Nomad.
      if (err instanceof AnswerError && / HTTP 404 /.test(err.message)) allocations[role] = { error: "job not found" };
      else throw err;
    }
  }
  const servers = (await read("/v1/status/peers", raftPeers)).map(hostOf);
  return { selected, clients, allocations, servers };
}
