// The two templates that turn Consul's service instances into addresses, the Prometheus job's lookup probe targets
// and the Alertmanager job's --cluster.peer flags, taken from the rendered jobspecs and rendered by a real
// consul-template against a real Consul that holds instances at an IPv4 and at an IPv6 address. Each address is then
// used by the binary that reads it: blackbox_exporter probes the IPv6 lookup URL, and two Alertmanagers on IPv6
// loopback form one gossip cluster from the rendered flags.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadStackFile } from "../../config";
import type { StackModel } from "../../model";
import {
  ALERTMANAGER_PEERS_PATH,
  alertmanagerYaml,
  BLACKBOX_MODULES,
  LOOKUP_TARGETS_PATH,
  lookupProbeInputs,
  nameServerIndexTags,
  renderAlertmanagerJob,
  renderJobs,
  templateDestination,
  type RenderedJob,
} from "../../render";
import { startBackend, type Backend } from "../support/backend";
import { startConsulTemplate } from "../support/consul-template";
import { registerService, startConsul, type ConsulAgent } from "../support/consul";
import { blocks, decodeTemplateEscapes, parseJobspec } from "../support/hcl";
import { startBlackbox, type LookupProber } from "../support/lookup-probes";
import { jobspecServicesOf } from "../support/nomad-registration";
import {
  canListenOnIpv6Loopback,
  freePorts,
  http,
  requireTools,
  start,
  stopAll,
  tempDir,
  waitFor,
  type Started,
} from "../support/processes";
import { stackFileOnFreePorts } from "../support/quick-start";
import { modelOf } from "../support/stack";
import { ALERTMANAGER_TEST_TIMING } from "../support/test-timing";

const available = requireTools("consul", "consul-template", "blackbox_exporter", "alertmanager");
const SUBGROUP = "nsaddr-v6";
const NAMESERVERS = "127.0.0.1:9876;127.0.0.2:9876";

/** The `data` of the template a rendered jobspec writes to `destination`, as consul-template reads it. */
async function templateData(job: RenderedJob, destination: string): Promise<string> {
  const { task } = await parseJobspec(job.hcl);
  const template = blocks(task, "template").find((t) => t.destination === destination);
  if (template === undefined) throw new Error(`${job.name} has no template writing ${destination}`);
  return decodeTemplateEscapes(String(template.data));
}

/** Registers an instance of the rendered job's service `name`, at `address`, with the jobspec's tags, as Nomad would. */
async function registerInstance(
  consul: ConsulAgent,
  job: RenderedJob,
  name: string,
  instance: { id: string; address: string; port: number },
): Promise<void> {
  const service = (await jobspecServicesOf(job)).find((s) => s.name === name);
  if (service === undefined) throw new Error(`${job.name} has no service ${name}`);
  await registerService(consul, { ...instance, name, tags: service.tags });
}

describe.runIf(available)("service instances at IPv4 and IPv6 addresses, through the rendered templates", () => {
  let model: StackModel;
  let consul: ConsulAgent;
  let prober: LookupProber;
  let lookupTargets: { targets: string[]; labels: Record<string, string> }[];
  let peerFlags: string[];
  const clusterPorts: number[] = [];
  const backends: Backend[] = [];
  // What the templates write needs no IPv6; the binaries that use an IPv6 address need to listen on ::1.
  let ipv6 = false;

  beforeAll(async () => {
    ipv6 = await canListenOnIpv6Loopback();
    if (!ipv6) console.warn("\n!!! SKIPPING the IPv6 listeners of instance-addresses.test.ts: cannot listen on ::1\n");
    model = modelOf(loadStackFile(await stackFileOnFreePorts("prod", "addresses")), "prod");
    const jobs = new Map(renderJobs(model).map((job) => [job.name, job]));
    const indexFabio = jobs.get(model.fabios.nameServerIndex.name)!;
    const alertmanagerJob = renderAlertmanagerJob(model, model.alertmanager!);
    const { proxyPort, indexFabioService } = lookupProbeInputs(model);

    consul = await startConsul();
    for (const [id, address] of [
      ["index-fabio-v4", "127.0.0.1"],
      ["index-fabio-v6", "::1"],
      // Unlikely from Nomad, but neither may break the URL: a zone (a link-local address's), brackets already.
      ["index-fabio-zone", "::1%lo"],
      ["index-fabio-bracketed", "[::1]"],
    ] as const) {
      await registerInstance(consul, indexFabio, indexFabioService, { id, address, port: proxyPort });
    }
    await registerService(consul, {
      id: "rocketmq-v6",
      name: "rocketmq-v6",
      port: proxyPort,
      tags: nameServerIndexTags(model.nameServerIndexStack, [SUBGROUP]),
    });
    clusterPorts.push(...(await freePorts(2)));
    for (const [i, port] of clusterPorts.entries()) {
      const instance = { id: `alertmanager-${i}`, address: "::1", port };
      await registerInstance(consul, alertmanagerJob, model.alertmanager!.peersService, instance);
    }

    const dir = tempDir("instance-addresses");
    const rendered = { lookups: path.join(dir, "nameserver-lookups.yml"), peers: path.join(dir, "peers") };
    await startConsulTemplate(consul.httpAddr, [
      {
        data: await templateData(jobs.get(model.prometheus.name)!, templateDestination(LOOKUP_TARGETS_PATH)),
        destination: rendered.lookups,
      },
      {
        data: await templateData(alertmanagerJob, templateDestination(ALERTMANAGER_PEERS_PATH)),
        destination: rendered.peers,
      },
    ]);
    lookupTargets = parseYaml(fs.readFileSync(rendered.lookups, "utf8")) as typeof lookupTargets;
    peerFlags = fs.readFileSync(rendered.peers, "utf8").trim().split("\n");
    prober = await startBlackbox();
  });

  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
    await stopAll();
  });

  it("writes an IPv4 host as it is and an IPv6 host in brackets, in the lookup URLs and in the peer flags", () => {
    const { proxyPort } = lookupProbeInputs(model);
    expect(lookupTargets.flatMap((t) => t.targets).sort()).toEqual([
      `http://127.0.0.1:${proxyPort}/rocketmq/${SUBGROUP}`,
      `http://[::1%25lo]:${proxyPort}/rocketmq/${SUBGROUP}`,
      `http://[::1]:${proxyPort}/rocketmq/${SUBGROUP}`,
      `http://[::1]:${proxyPort}/rocketmq/${SUBGROUP}`,
    ]);
    expect(peerFlags.sort()).toEqual(clusterPorts.map((port) => `--cluster.peer=[::1]:${port}`).sort());
  });

  it("gives blackbox_exporter IPv6 lookup URLs it probes successfully, with a zone too", async ({ skip }) => {
    if (!ipv6) skip();
    const targets = lookupTargets.flatMap((t) => t.targets).filter((url) => url.includes("[::1"));
    const { port } = new URL(targets[0]!);
    backends.push(await startBackend({ [`/rocketmq/${SUBGROUP}`]: NAMESERVERS }, { host: "::1", port: Number(port) }));
    for (const target of new Set(targets)) {
      const { text } = await http(
        `${prober.url}/probe?module=${BLACKBOX_MODULES.lookup}&target=${encodeURIComponent(target)}`,
      );
      expect(text, target).toMatch(/^probe_success 1$/m);
    }
  });

  it("gives two Alertmanagers on IPv6 loopback peer flags they form one cluster with", async ({ skip }) => {
    if (!ipv6) skip();
    const webPorts = await freePorts(2);
    const servers: { url: string; proc: Started }[] = [];
    for (const [i, clusterPort] of clusterPorts.entries()) {
      const dir = tempDir("alertmanager-v6");
      fs.writeFileSync(path.join(dir, "alertmanager.yml"), alertmanagerYaml(model.alertmanager!.alerting, dir));
      const proc = start("alertmanager", [
        `--config.file=${path.join(dir, "alertmanager.yml")}`,
        `--storage.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${webPorts[i]}`,
        `--cluster.listen-address=[::1]:${clusterPort}`,
        `--cluster.advertise-address=[::1]:${clusterPort}`,
        `--cluster.gossip-interval=${ALERTMANAGER_TEST_TIMING.gossipInterval}`,
        ...peerFlags,
      ]);
      servers.push({ url: `http://127.0.0.1:${webPorts[i]}`, proc });
    }
    try {
      for (const server of servers) {
        const cluster = await waitFor(
          "both IPv6 peers in the cluster status",
          async () => {
            const { text } = await http(`${server.url}/api/v2/status`);
            const status = JSON.parse(text) as { cluster: { status: string; peers: { address: string }[] } };
            return status.cluster.status === "ready" && status.cluster.peers.length === 2 ? status.cluster : undefined;
          },
          { timeoutMs: 30_000, process: server.proc },
        );
        expect(cluster.peers.map((p) => p.address).sort()).toEqual(clusterPorts.map((p) => `[::1]:${p}`).sort());
      }
    } finally {
      // One after the other: stopped together, each waits for the other to acknowledge its leaving (5 s).
      for (const server of servers) await server.proc.stop();
    }
  });
});
