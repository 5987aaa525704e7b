// The verify CLI's logic, callable in-process: checks a deployed stack from the outside, through Consul's,
// Fabio's, Prometheus' and (with NOMAD_ADDR) Nomad's HTTP APIs.
import { parseArgs } from "node:util";
import { ConfigError, loadStackFile, LOOKUP_TIMEOUT, prometheusDurationMs, type StackConfig } from "../config";
import { resolveStack } from "../model";
import type { Api } from "../verify/discover";
import { formatSeconds, httpClient } from "../verify/http";
import { exitCode, progressLine, resultJson, resultTable } from "../verify/report";
import { verifyStack } from "../verify/run";
import { STACK_OPTIONS, stackSource, UsageError } from "./stack-args";
import { EXIT, exitCodeFor, type Console } from "./cli-io";

// Each request waits as long as a RocketMQ client waits for its own lookup (LOOKUP_TIMEOUT): an answer slower than
// that is a failed lookup for the clients, and a hung host costs verify no more than that.
const DEFAULT_REQUEST_TIMEOUT_S = prometheusDurationMs(LOOKUP_TIMEOUT) / 1000;

export const USAGE = `Usage: npm run verify -- (--stack <name> | --stack-file <path>) [--json] [--timeout <s>] [--request-timeout <s>]

  --stack <name>           read Pulumi.<name>.yaml from the project directory
  --stack-file <path>      read this stack file instead
  --json                   print the results as JSON on stdout instead of a table
  --timeout <s>            bound on the whole run, in seconds (default 120)
  --request-timeout <s>    bound on each HTTP request, in seconds (default ${DEFAULT_REQUEST_TIMEOUT_S}: a RocketMQ client's lookup timeout)
  -h, --help               show this help

Environment:
  CONSUL_HTTP_ADDR    Consul's HTTP API, e.g. https://consul.internal:8501 (default: the stack's
                      consul.acl.apiAddress and consul.acl.scheme, when set)
  CONSUL_HTTP_TOKEN   Consul ACL token (read-only is enough); sent as X-Consul-Token, never printed
  NOMAD_ADDR          Nomad's HTTP API; when set, Nomad's nodes and the Fabio jobs' allocations are checked too
  NOMAD_TOKEN         Nomad ACL token; sent as X-Nomad-Token, never printed

Finds the NameServer hosts (the nodes running the two Fabio services in Consul and, with NOMAD_ADDR, the
nodes the jobs select in Nomad), then checks each: both Fabio services registered and healthy, every
NameServer-index subgroup looked up through its index Fabio (200, ip:port;ip:port) and not routed by its
Prometheus Fabio, Prometheus ready through its Prometheus Fabio. Through one of them: every scrape job has
targets and all are up, every Consul server (and Nomad agent) is a target, the alert rules are loaded,
no alert is firing. Prints a progress line per check on stderr, then a table (or --json) on stdout.
Exit status (docs/cli.md): 0 when every check passed (skipped ones aside), 1 when any failed, 2 on bad
usage or invalid config (one line per problem, naming the file and key).`;

/** The environment variables the CLI reads, and nothing else. */
export interface VerifyEnv {
  CONSUL_HTTP_ADDR?: string;
  CONSUL_HTTP_TOKEN?: string;
  NOMAD_ADDR?: string;
  NOMAD_TOKEN?: string;
}

const DEFAULT_TIMEOUT_S = 120;

/** Runs the CLI and returns its exit code: 0 all passed, 1 a check failed, 2 bad usage or invalid config. */
export async function verifyCli(argv: string[], io: Console, env: VerifyEnv): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv, env);
  } catch (err) {
    return exitCodeFor(err, io, { usage: USAGE, userErrors: [ConfigError] });
  }
  if (options === "help") {
    io.log(USAGE);
    return EXIT.ok;
  }
  const { cfg, stack, consul, nomad, json, timeoutMs, requestTimeoutMs } = options;
  io.error(
    `verifying stack ${stack} through ${consul.url}${nomad ? ` and ${nomad.url}` : ""} ` +
      `(at most ${formatSeconds(timeoutMs)}, ${formatSeconds(requestTimeoutMs)} per request)`,
  );
  let index = 0;
  const results = await verifyStack({
    model: resolveStack({ config: cfg, stack }),
    consul,
    nomad,
    client: httpClient({ requestTimeoutMs, deadline: Date.now() + timeoutMs }),
    onResult: (result) => io.error(progressLine(++index, result)),
  });
  io.log(json ? resultJson(stack, results) : resultTable(results));
  return exitCode(results);
}

type Options =
  | "help"
  | {
      cfg: StackConfig;
      stack: string;
      consul: Api;
      nomad?: Api;
      json: boolean;
      timeoutMs: number;
      requestTimeoutMs: number;
    };

function parseOptions(argv: string[], env: VerifyEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STACK_OPTIONS,
      json: { type: "boolean", default: false },
      timeout: { type: "string" },
      "request-timeout": { type: "string" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const { file, stack } = stackSource(values);
  const timeoutMs = seconds("--timeout", values.timeout, DEFAULT_TIMEOUT_S);
  const requestTimeoutMs = seconds("--request-timeout", values["request-timeout"], DEFAULT_REQUEST_TIMEOUT_S);
  const cfg = loadStackFile(file);
  return {
    cfg,
    stack,
    consul: consulApi(cfg, env),
    nomad: env.NOMAD_ADDR ? api("NOMAD_ADDR", env.NOMAD_ADDR, "X-Nomad-Token", env.NOMAD_TOKEN) : undefined,
    json: values.json,
    timeoutMs,
    requestTimeoutMs,
  };
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new UsageError(`${flag} must be a number of seconds above 0`);
  return n * 1000;
}

/** CONSUL_HTTP_ADDR wins; the stack's ACL API address is the fallback (it is where Pulumi reaches Consul). */
function consulApi(cfg: StackConfig, env: VerifyEnv): Api {
  const acl = cfg.consul.acl;
  const address = env.CONSUL_HTTP_ADDR || (acl.apiAddress ? `${acl.scheme}://${acl.apiAddress}` : undefined);
  if (address === undefined) {
    throw new UsageError("set CONSUL_HTTP_ADDR to the Consul HTTP API (the stack sets no consul.acl.apiAddress)");
  }
  return api("CONSUL_HTTP_ADDR", address, "X-Consul-Token", env.CONSUL_HTTP_TOKEN);
}

/** `host:port` becomes `http://host:port`, as Consul's and Nomad's own CLIs read it. */
function api(variable: string, address: string, tokenHeader: string, token: string | undefined): Api {
  const withScheme = /^[a-z]+:\/\//i.test(address) ? address : `http://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${variable} is not an address: ${JSON.stringify(address)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${variable} must be an http:// or https:// address`);
  }
  return { url: url.origin, headers: token ? { [tokenHeader]: token } : {} };
}
