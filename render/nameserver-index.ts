// The NameServer-index contract RocketMQ clusters rely on: which Consul tags make Fabio answer
// `GET http://<domain>:<port>/rocketmq/<subgroup>` with that cluster's `ip:9876;ip:9876` list, and make this
// stack's Prometheus probe that lookup. Other repositories import it as `rocketmq-system-jobs/contract`
// (contract.ts): keep this file free of imports.
//
// A client with a unit name (`ClientConfig#setUnitName`) requests `/rocketmq/<subgroup>-<unit>?nofix=1`
// instead: RocketMQ's TopAddressing appends "-<unit>?nofix=1". Fabio's glob matcher matches the whole path
// and ignores the query string, so such clients need tags of their own,
// `nameServerIndexTags(stack, ["<subgroup>-<unit>"])`; the plain subgroup's tag never answers them.

/** RocketMQ clients use this subgroup when `rocketmq.namesrv.domain.subgroup` is not set. */
export const DEFAULT_SUBGROUP = "nsaddr";

/**
 * The stack a NameServer-index service registers with: its `clusterName` and its index Fabio's whole tag prefix
 * (`<clusterName>.<fabio.nameServerIndex.tagPrefix>`). The stack output `nameServerIndexStack` is exactly this.
 */
export interface NameServerIndexStack {
  /** The stack's `clusterName`, e.g. `prod`. */
  clusterName: string;
  /** The index Fabio's `registry.consul.tagprefix`, e.g. `prod.rmq-nsindex-` (stack output `nameServerIndexTagPrefix`). */
  tagPrefix: string;
}

/** Where RocketMQ clients look a subgroup up. */
export interface NameServerIndexLookup {
  /** A NameServer host (`rocketmq.namesrv.domain`). */
  host: string;
  /** The index Fabio's proxy port (`fabio.nameServerIndex.proxyPort`, 8080 by default). */
  port: number;
  /** `rocketmq.namesrv.domain.subgroup`; default `nsaddr`. */
  subgroup?: string;
}

const SUBGROUP = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TAG_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CLUSTER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/;

/**
 * The first word of the tags that name a service as one of a stack's NameServer-index services, whatever its
 * route tag says. No Fabio prefix can start a marker: a Fabio prefix is `<clusterName>.…`, and a marker has
 * `:` before any `.`, which a cluster name never holds.
 */
export const NAME_SERVER_INDEX_MARKER = "rocketmq-nsindex";

/** The path RocketMQ's address-server lookup requests for a subgroup. */
export function nameServerIndexPath(subgroup: string = DEFAULT_SUBGROUP): string {
  if (typeof subgroup !== "string" || !SUBGROUP.test(subgroup)) {
    throw new RangeError(
      `invalid RocketMQ subgroup ${JSON.stringify(subgroup)}: use letters, digits, '.', '_' or '-' (it becomes a URL path segment)`,
    );
  }
  return `/rocketmq/${subgroup}`;
}

/** The stack, checked: a prefix without its `<clusterName>.` part would build tags no Fabio routes. */
function checkedStack(stack: NameServerIndexStack, caller: string): NameServerIndexStack {
  if (typeof stack !== "object" || stack === null) {
    throw new TypeError(
      `${caller}: the first argument must be { clusterName, tagPrefix } (stack output nameServerIndexStack), not ${JSON.stringify(stack)}`,
    );
  }
  const { clusterName, tagPrefix } = stack;
  if (typeof clusterName !== "string" || !CLUSTER_NAME.test(clusterName)) {
    throw new RangeError(`${caller}: clusterName ${JSON.stringify(clusterName)} is not a stack's clusterName`);
  }
  if (typeof tagPrefix !== "string" || !TAG_PREFIX.test(tagPrefix)) {
    throw new RangeError(`${caller}: invalid Fabio tag prefix ${JSON.stringify(tagPrefix)}`);
  }
  const head = `${clusterName}.`;
  if (!tagPrefix.startsWith(head) || tagPrefix.length === head.length) {
    throw new RangeError(
      `${caller}: tagPrefix ${JSON.stringify(tagPrefix)} lacks the cluster part "${head}": pass the stack output nameServerIndexTagPrefix${tagPrefix.includes(".") ? "" : ` ("${head}${tagPrefix}")`}, not the stack file's fabio.nameServerIndex.tagPrefix`,
    );
  }
  return stack;
}

/** The Consul tag that makes the stack's index Fabio route `/rocketmq/<subgroup>` to the service. */
export function nameServerIndexTag(stack: NameServerIndexStack, subgroup: string = DEFAULT_SUBGROUP): string {
  const { tagPrefix } = checkedStack(stack, "nameServerIndexTag");
  return `${tagPrefix}${nameServerIndexPath(subgroup)}`;
}

/** The tag every NameServer-index service of the stack carries, whatever its subgroups. */
export function nameServerIndexMemberTag(stack: NameServerIndexStack): string {
  return `${NAME_SERVER_INDEX_MARKER}:${checkedStack(stack, "nameServerIndexMemberTag").clusterName}`;
}

/**
 * The tag that says the service answers `subgroup`, independent of its route tag: the stack keeps probing the
 * subgroup (and alerts) when the route tag is lost or wrong, instead of forgetting the subgroup.
 */
export function nameServerIndexMarkerTag(stack: NameServerIndexStack, subgroup: string = DEFAULT_SUBGROUP): string {
  nameServerIndexPath(subgroup);
  return `${nameServerIndexMemberTag(stack)}:${subgroup}`;
}

/**
 * Every tag a cluster's NameServer-index service needs: the member tag, and per subgroup its route tag and its
 * marker tag. Register the service with exactly these (plus your own) and a health check.
 */
export function nameServerIndexTags(stack: NameServerIndexStack, subgroups: string[] = [DEFAULT_SUBGROUP]): string[] {
  if (!Array.isArray(subgroups) || subgroups.length === 0) {
    throw new RangeError(`nameServerIndexTags: subgroups must be a non-empty list, not ${JSON.stringify(subgroups)}`);
  }
  const tags = [
    nameServerIndexMemberTag(stack),
    ...subgroups.flatMap((subgroup) => [
      nameServerIndexTag(stack, subgroup),
      nameServerIndexMarkerTag(stack, subgroup),
    ]),
  ];
  return [...new Set(tags)];
}

/** The subgroup a route tag serves in the stack's index Fabio, or undefined: the inverse of `nameServerIndexTag`. */
export function nameServerIndexSubgroup(stack: NameServerIndexStack, tag: string): string | undefined {
  return subgroupAfter(nameServerIndexTag(stack, DEFAULT_SUBGROUP).slice(0, -DEFAULT_SUBGROUP.length), tag);
}

/** The subgroup a marker tag names, or undefined: the inverse of `nameServerIndexMarkerTag`. */
export function nameServerIndexMarkedSubgroup(stack: NameServerIndexStack, tag: string): string | undefined {
  return subgroupAfter(`${nameServerIndexMemberTag(stack)}:`, tag);
}

function subgroupAfter(head: string, tag: string): string | undefined {
  if (!tag.startsWith(head)) return undefined;
  const subgroup = tag.slice(head.length);
  return SUBGROUP.test(subgroup) ? subgroup : undefined;
}

/** The URL RocketMQ clients fetch: `nameServerIndexUrl({ host, port, subgroup })`. */
export function nameServerIndexUrl(lookup: NameServerIndexLookup): string {
  if (typeof lookup !== "object" || lookup === null) {
    throw new TypeError(
      `nameServerIndexUrl takes { host, port, subgroup }, not ${JSON.stringify(lookup)} (positional arguments are refused)`,
    );
  }
  const { host, port, subgroup = DEFAULT_SUBGROUP } = lookup;
  if (typeof host !== "string" || !HOST.test(host)) {
    throw new RangeError(
      `nameServerIndexUrl: host ${JSON.stringify(host)} is not a host name, IPv4 address or [IPv6] address`,
    );
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`nameServerIndexUrl: port ${JSON.stringify(port)} is not a port number (1-65535)`);
  }
  return `http://${host}:${port}${nameServerIndexPath(subgroup)}`;
}

/** Human-readable forms for stack outputs and docs, with `<nameserver-host>` and `<subgroup>` as placeholders. */
export function nameServerIndexPatterns(
  stack: NameServerIndexStack,
  port: number,
): { url: string; serviceTag: string } {
  const placeholder = "SUBGROUP";
  return {
    url: nameServerIndexUrl({ host: "nameserver-host", port, subgroup: placeholder })
      .replace("nameserver-host", "<nameserver-host>")
      .replace(placeholder, "<subgroup>"),
    serviceTag: nameServerIndexTag(stack, placeholder).replace(placeholder, "<subgroup>"),
  };
}
