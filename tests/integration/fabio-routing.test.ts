// The rendered Fabio configs, run by a real Fabio 1.6.3 against a real Consul: RocketMQ lookups, the
// Prometheus route, no leaks between the two Fabios, and the evidence behind the tag-prefix rule.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadStackFile, type FabioRole, type StackConfig } from "../../config";
import { nameServerIndexTag } from "../../render";
import { startBackend, type Backend } from "../support/backend";
import { checkStatus, passTtlCheck, registerService } from "../support/consul";
import {
  fabioJob,
  firstRoutedResponse,
  proxyGet,
  renderedPrometheusService,
  startFabio,
  type Fabio,
} from "../support/fabio";
import { fabioPropertiesOf, fabioTaskEnvOf } from "../support/fabio-task";
import { startStackConsul, type StackConsul } from "../support/stack-consul";
import { http, requireTools, stopAll, tempDir, waitFor } from "../support/processes";
import { loadStack, stackFile, STACKS, modelOf } from "../support/stack";

const haveTools = requireTools("fabio", "consul");

const NAME_SERVERS = "10.0.0.1:9876;10.0.0.2:9876";
const PROMETHEUS_BODY = "prometheus backend";
const ROUTE_TIMEOUT = { timeoutMs: 15_000, intervalMs: 100 };

/** Stands in for the Prometheus job's service: the rendered jobspec's name and tag, served by `backend`. */
async function registerRenderedPrometheus(
  cfg: StackConfig,
  stack: string,
  consul: StackConsul,
  backend: Backend,
): Promise<{ name: string; tag: string }> {
  const service = await renderedPrometheusService(cfg, stack);
  await registerService(
    consul.agent,
    {
      id: `${service.name}-${stack}`,
      name: service.name,
      port: backend.port,
      tags: [service.tag],
      checkUrl: `${backend.url}/health`,
    },
    consul.managementToken,
  );
  return service;
}

async function routedServices(fabio: Fabio): Promise<string[]> {
  return [...new Set((await fabio.routes()).map((route) => route.service))].sort();
}

describe.skipIf(!haveTools).each(STACKS)("the %s stack's two Fabios on a real Fabio 1.6.3 and Consul", (stack) => {
  const cfg = loadStack(stack);
  const subgroup = `nsaddr-${stack}-cluster-a`;
  const indexService = { id: `nameserver-index-${subgroup}`, name: "rocketmq-nameserver-index" };
  let consul: StackConsul;
  let index: Fabio;
  let prometheus: Fabio;
  let nameServerBackend: Backend;
  let prometheusBackend: Backend;

  beforeAll(async () => {
    consul = await startStackConsul(cfg, stack);
    nameServerBackend = await startBackend({ [`/rocketmq/${subgroup}`]: NAME_SERVERS });
    prometheusBackend = await startBackend({ "/": PROMETHEUS_BODY });
    // Each Fabio runs the template data of its rendered jobspec, as Nomad would write it, with one documented
    // change (forTestMachine): proxy.addr and ui.addr move to free 127.0.0.1 ports and registry.consul.addr
    // points at this test's Consul. Tag prefix, matcher, KV paths and the rest are byte for byte the rendered ones.
    // With Consul ACLs on, the token comes from the job's env template as CONSUL_HTTP_TOKEN, as Nomad sets it.
    const fabioFor = async (role: FabioRole): Promise<Fabio> => {
      const job = fabioJob(cfg, stack, role);
      const env = await fabioTaskEnvOf(job, consul.variables);
      return startFabio(await fabioPropertiesOf(job), consul.agent, consul.variables, env);
    };
    index = await fabioFor("nameServerIndex");
    prometheus = await fabioFor("prometheus");
  });

  afterAll(async () => {
    await stopAll();
    await Promise.all([nameServerBackend?.close(), prometheusBackend?.close()]);
  });

  /** A cluster's NameServer-index service, tagged by the project's contract function. */
  const registerNameServerIndex = (): Promise<void> =>
    registerService(
      consul.agent,
      {
        ...indexService,
        port: nameServerBackend.port,
        tags: [nameServerIndexTag(modelOf(cfg).nameServerIndexStack, subgroup)],
        checkUrl: `${nameServerBackend.url}/health`,
      },
      consul.managementToken,
    );

  const registerPrometheus = (): Promise<{ name: string; tag: string }> =>
    registerRenderedPrometheus(cfg, stack, consul, prometheusBackend);

  it("runs the NameServer-index Fabio with whole-path (glob) matching and the Prometheus Fabio with prefix matching", async () => {
    // Fabio logs its matcher when it sets up the proxy, which may come just after /health answers.
    const matcherOf = (fabio: Fabio): Promise<string> =>
      waitFor(
        "Fabio to log its route matcher",
        () => Promise.resolve(/Using route matching "(\w+)"/.exec(fabio.process.output())?.[1]),
        {
          ...ROUTE_TIMEOUT,
          process: fabio.process,
        },
      );
    expect(await matcherOf(index)).toBe("glob");
    expect(await matcherOf(prometheus)).toBe("prefix");
  });

  it("answers GET /rocketmq/<subgroup> with the NameServer list of the service tagged nameServerIndexTag(prefix, subgroup)", async () => {
    await registerNameServerIndex();
    const response = await firstRoutedResponse(index, `/rocketmq/${subgroup}`);
    expect(response).toEqual({ status: 200, text: NAME_SERVERS });
  });

  it("answers 404 for a subgroup without a service, even one that extends or shortens a registered subgroup", async () => {
    await registerNameServerIndex();
    await firstRoutedResponse(index, `/rocketmq/${subgroup}`);
    const before = nameServerBackend.requests.length;
    for (const urlPath of [
      `/rocketmq/${subgroup}-other`,
      `/rocketmq/${subgroup}/more`,
      `/rocketmq/${subgroup.slice(0, -1)}`,
      "/rocketmq/",
    ]) {
      expect((await proxyGet(index, urlPath)).status, urlPath).toBe(404);
    }
    expect(nameServerBackend.requests.slice(before)).toEqual([]);
  });

  it("routes GET / on the Prometheus Fabio to the service carrying the rendered Prometheus job's tag", async () => {
    await registerPrometheus();
    const response = await firstRoutedResponse(prometheus, "/");
    expect(response).toEqual({ status: 200, text: PROMETHEUS_BODY });
  });

  it("keeps each Fabio's routing table to its own services, so the index Fabio never reaches Prometheus", async () => {
    await registerNameServerIndex();
    const prometheusService = await registerPrometheus();
    await firstRoutedResponse(index, `/rocketmq/${subgroup}`);
    await firstRoutedResponse(prometheus, "/");

    expect(await routedServices(index)).toEqual([indexService.name]);
    expect(await routedServices(prometheus)).toEqual([prometheusService.name]);

    const before = prometheusBackend.requests.length;
    expect((await proxyGet(index, "/")).status).toBe(404);
    expect(prometheusBackend.requests.slice(before)).toEqual([]);
  });

  it("answers a client with a unit name, which asks for <subgroup>-<unit>?nofix=1, only through a tag of its own", async () => {
    await registerNameServerIndex();
    await firstRoutedResponse(index, `/rocketmq/${subgroup}`);
    const unitPath = `/rocketmq/${subgroup}-unit1?nofix=1`;
    expect((await proxyGet(index, unitPath)).status).toBe(404);
    const unitBackend = await startBackend({ [unitPath]: NAME_SERVERS });
    try {
      await registerService(
        consul.agent,
        {
          id: `${indexService.id}-unit1`,
          name: indexService.name,
          port: unitBackend.port,
          tags: [nameServerIndexTag(modelOf(cfg).nameServerIndexStack, `${subgroup}-unit1`)],
          checkUrl: `${unitBackend.url}/health`,
        },
        consul.managementToken,
      );
      expect(await firstRoutedResponse(index, unitPath)).toEqual({ status: 200, text: NAME_SERVERS });
      expect(unitBackend.requests).toEqual([unitPath]);
    } finally {
      await unitBackend.close();
    }
  });

  it("refuses a manual route override through its UI/API (PUT /api/manual) and keeps its routes", async () => {
    await registerNameServerIndex();
    await firstRoutedResponse(index, `/rocketmq/${subgroup}`);
    const routesBefore = await index.routes();
    const kvPath = `${stack}/${cfg.fabio.nameServerIndex.jobName}`;
    const override = { value: `route add evil /rocketmq/${subgroup} http://127.0.0.1:1/`, version: "0" };

    const put = await http(`${index.uiUrl}/api/manual`, { method: "PUT", body: override });
    expect(put.status).toBe(403);
    expect((await http(`${index.uiUrl}/api/manual`)).status).toBe(403);
    expect((await http(`${index.uiUrl}/manual`)).status).toBe(403);

    // Nothing reached Consul KV, where Fabio keeps manual overrides, and the lookup still answers as before.
    const kv = await http(`${consul.agent.url}/v1/kv/fabio/${kvPath}/?recurse=true`, {
      headers: consul.managementToken ? { "X-Consul-Token": consul.managementToken } : {},
    });
    expect(kv.status).toBe(404);
    expect(await index.routes()).toEqual(routesBefore);
    expect(await proxyGet(index, `/rocketmq/${subgroup}`)).toEqual({ status: 200, text: NAME_SERVERS });
  });

  it("routes to an instance only once every one of its checks passes, not while one of two is critical", async () => {
    const twoChecks = `${subgroup}-two-checks`;
    const ttlCheckId = `${stack}-second-check`;
    const twoChecksBackend = await startBackend({ [`/rocketmq/${twoChecks}`]: NAME_SERVERS });
    try {
      await registerService(
        consul.agent,
        {
          id: `${indexService.id}-two-checks`,
          name: indexService.name,
          port: twoChecksBackend.port,
          tags: [nameServerIndexTag(modelOf(cfg).nameServerIndexStack, twoChecks)],
          checkUrl: `${twoChecksBackend.url}/health`,
          ttlCheckId,
        },
        consul.managementToken,
      );
      const httpCheckId = `service:${indexService.id}-two-checks:1`;
      await waitFor(
        "the instance's HTTP check to pass while its TTL check stays critical",
        async () => {
          const [first, second] = await Promise.all([
            checkStatus(consul.agent, httpCheckId, consul.managementToken),
            checkStatus(consul.agent, ttlCheckId, consul.managementToken),
          ]);
          return first === "passing" && second === "critical" ? true : undefined;
        },
        ROUTE_TIMEOUT,
      );
      // Fabio rebuilds its table from the whole health state: once a service registered after that check passed
      // is routed, Fabio has seen the two-check instance with one check passing and one critical.
      await registerNameServerIndex();
      await firstRoutedResponse(index, `/rocketmq/${subgroup}`);
      expect((await index.routes()).map((route) => route.path)).not.toContain(`/rocketmq/${twoChecks}`);
      expect((await proxyGet(index, `/rocketmq/${twoChecks}`)).status).toBe(404);
      expect(twoChecksBackend.requests).toEqual([]);

      await passTtlCheck(consul.agent, ttlCheckId, consul.managementToken);
      expect(await firstRoutedResponse(index, `/rocketmq/${twoChecks}`)).toEqual({ status: 200, text: NAME_SERVERS });
    } finally {
      await twoChecksBackend.close();
    }
  });

  it("serves its metrics on the listener the rendered metrics service points at, named fabio_*", async () => {
    for (const fabio of [index, prometheus]) {
      const port = /127\.0\.0\.1:(\d+);proto=prometheus/.exec(fabio.properties)?.[1];
      expect(port, "a proto=prometheus listener in proxy.addr").toBeDefined();
      const { status, text } = await http(`http://127.0.0.1:${port}/metrics`);
      expect(status).toBe(200);
      expect(text).toMatch(/^# TYPE fabio_\w+ /m);
    }
  });

  it.runIf(cfg.consul.acl.enabled)("never prints its Consul token, which it gets from the environment", () => {
    const tokens = Object.values(consul.variables).flatMap((items) => Object.values(items));
    expect(tokens.length).toBe(2);
    for (const fabio of [index, prometheus]) {
      for (const token of tokens) expect(fabio.process.output()).not.toContain(token);
    }
  });
});

describe("the seed's tag prefixes urlprefix- and urlprefix-prometheus-", () => {
  const SEED = { nameServerIndex: "urlprefix-", prometheus: "urlprefix-prometheus-" } as const;

  it("are rejected by config validation, naming the stack file and the Prometheus Fabio's tagPrefix", () => {
    const doc = parseYaml(fs.readFileSync(stackFile("dev"), "utf8")) as {
      config: Record<string, Record<string, Record<string, unknown>>>;
    };
    const fabio = doc.config["rocketmq-system-jobs:fabio"]!;
    fabio.nameServerIndex = { ...fabio.nameServerIndex, tagPrefix: SEED.nameServerIndex };
    fabio.prometheus = { ...fabio.prometheus, tagPrefix: SEED.prometheus };
    const dir = tempDir("seed");
    const file = path.join(dir, "Pulumi.seed.yaml");
    fs.writeFileSync(file, stringifyYaml(doc));
    const error = ((): unknown => {
      try {
        return loadStackFile(file);
      } catch (err) {
        return err;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `Pulumi.seed.yaml: rocketmq-system-jobs:fabio.prometheus.tagPrefix: "urlprefix-prometheus-" starts with fabio.nameServerIndex.tagPrefix "urlprefix-": Fabio matches tag prefixes as plain text, so the two Fabios' routes would leak into each other; choose prefixes that do not start with one another`,
    );
  });

  describe.skipIf(!haveTools)("forced past validation, on a real Fabio 1.6.3 and Consul", () => {
    // Built by hand from a valid stack, so the renderers see exactly what validation refuses.
    const valid = loadStack("dev");
    const seed: StackConfig = {
      ...valid,
      fabio: {
        ...valid.fabio,
        nameServerIndex: { ...valid.fabio.nameServerIndex, tagPrefix: SEED.nameServerIndex },
        prometheus: { ...valid.fabio.prometheus, tagPrefix: SEED.prometheus },
      },
    };
    let consul: StackConsul;
    let prometheusBackend: Backend;

    beforeAll(async () => {
      consul = await startStackConsul(seed, "seed");
      prometheusBackend = await startBackend({ "/": PROMETHEUS_BODY });
    });

    afterAll(async () => {
      await stopAll();
      await prometheusBackend?.close();
    });

    it("make the urlprefix- Fabio route to the Prometheus service as well", async () => {
      const fabioFor = async (role: FabioRole): Promise<Fabio> =>
        startFabio(await fabioPropertiesOf(fabioJob(seed, "seed", role)), consul.agent, consul.variables);
      const index = await fabioFor("nameServerIndex");
      const prometheus = await fabioFor("prometheus");
      const service = await registerRenderedPrometheus(seed, "seed", consul, prometheusBackend);
      expect(service.tag).toBe("dev.urlprefix-prometheus-/");

      // The Prometheus Fabio routes "/" as intended ...
      expect(await firstRoutedResponse(prometheus, "/")).toEqual({ status: 200, text: PROMETHEUS_BODY });
      // ... and the urlprefix- Fabio reads the same tag as "prometheus-/": a route for host "prometheus-".
      const leaked = await waitFor(
        "the leaked route on the urlprefix- Fabio",
        async () => (await index.routes()).find((route) => route.service === service.name),
        { ...ROUTE_TIMEOUT, process: index.process },
      );
      expect(leaked).toMatchObject({ host: "prometheus-", path: "/", src: "prometheus-/" });
      // A request for that host through the NameServer-index Fabio lands on Prometheus.
      expect(await proxyGet(index, "/", "prometheus-")).toEqual({ status: 200, text: PROMETHEUS_BODY });
    });
  });
});
