// Pure planning and judging of the requests `verify` sends through each host's two Fabios, the way RocketMQ
// clients and Prometheus users reach them.
import type { StackModel } from "../model";
import { nameServerIndexPath, nameServerIndexUrl } from "../render";
import type { HttpResult } from "./http";
import { fail, hostLabel, pass, type Host, type Verdict } from "./result";
import { oneLine } from "./responses";

export interface Probe {
  check: string;
  host: string;
  /** `host:port` the request goes to: one that does not answer fails once, its other probes are not run. */
  listener: string;
  url: string;
  judge(answer: HttpResult): Verdict;
}

export const routeCheckName = (subgroup: string) => `route ${nameServerIndexPath(subgroup)}`;
export const noLeakCheckName = (subgroup: string) => `no leak ${nameServerIndexPath(subgroup)}`;
export const PROMETHEUS_READY_CHECK = "prometheus ready";

/** `ip:port;ip:port` (a trailing `;` is tolerated, as RocketMQ's parser does): the addresses, or undefined. */
export function nameServerList(body: string): string[] | undefined {
  const entries = body.trim().split(";");
  if (entries.at(-1) === "") entries.pop();
  const address = /^[A-Za-z0-9._-]+:\d{1,5}$/;
  return entries.length > 0 && entries.every((entry) => address.test(entry)) ? entries : undefined;
}

function unexpected(answer: Extract<HttpResult, { ok: true }>): string {
  const body = oneLine(answer.text);
  return `HTTP ${answer.status}${body === "" ? "" : `: ${body}`}`;
}

/** A RocketMQ client's lookup: 200 with a NameServer list. */
export function judgeLookup(answer: HttpResult): Verdict {
  if (!answer.ok) return fail(answer.error);
  const list = answer.status === 200 ? nameServerList(answer.text) : undefined;
  if (list === undefined) return fail(`expected 200 with ip:port;ip:port, got ${unexpected(answer)}`);
  return pass(list.join(";"));
}

/** The same path through the Prometheus Fabio must not reach a NameServer-index service. */
export function judgeNoLeak(answer: HttpResult): Verdict {
  if (!answer.ok) return fail(answer.error);
  const leaked = answer.status >= 200 && answer.status < 300 && nameServerList(answer.text) !== undefined;
  if (leaked) return fail(`routed by the Prometheus Fabio: HTTP ${answer.status} ${oneLine(answer.text)}`);
  return pass(`not routed to a NameServer-index service (HTTP ${answer.status})`);
}

export function judgeReady(answer: HttpResult): Verdict {
  if (!answer.ok) return fail(answer.error);
  return answer.status === 200 ? pass(oneLine(answer.text)) : fail(unexpected(answer));
}

/** Literal IPv6 addresses need brackets in a URL. */
function urlHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/** The Prometheus Fabio's URL for `path` on a host. */
export function prometheusUrl(model: StackModel, host: Host, path: string): string {
  return `http://${urlHost(host.address)}:${model.fabios.prometheus.ports.proxy}${path}`;
}

/**
 * Per host: each of this stack's subgroups through the index Fabio; then the Prometheus Fabio's readiness, and
 * every `/rocketmq/` path any service is tagged with (`leakSubgroups`, whatever its prefix) through it.
 * Readiness goes first on its listener, so a Prometheus Fabio that does not answer fails that one check.
 */
export function hostProbes(model: StackModel, hosts: Host[], subgroups: string[], leakSubgroups: string[]): Probe[] {
  return hosts.flatMap((host) => {
    const label = hostLabel(host);
    const domain = urlHost(host.address);
    const index = `${domain}:${model.fabios.nameServerIndex.ports.proxy}`;
    const prometheus = `${domain}:${model.fabios.prometheus.ports.proxy}`;
    return [
      ...subgroups.map((subgroup) => ({
        check: routeCheckName(subgroup),
        host: label,
        listener: index,
        url: nameServerIndexUrl({ host: domain, port: model.fabios.nameServerIndex.ports.proxy, subgroup }),
        judge: judgeLookup,
      })),
      {
        check: PROMETHEUS_READY_CHECK,
        host: label,
        listener: prometheus,
        url: prometheusUrl(model, host, "/-/ready"),
        judge: judgeReady,
      },
      ...leakSubgroups.map((subgroup) => ({
        check: noLeakCheckName(subgroup),
        host: label,
        listener: prometheus,
        url: prometheusUrl(model, host, nameServerIndexPath(subgroup)),
        judge: judgeNoLeak,
      })),
    ];
  });
}
