// The NameServer-index contract RocketMQ clusters rely on: which Consul tag makes Fabio answer
// `GET http://<domain>:<port>/rocketmq/<subgroup>` with that cluster's `ip:9876;ip:9876` list.
// Other repositories import it as `rocketmq-system-jobs/contract` (contract.ts): keep this file free of imports.
//
// A client with a unit name (`ClientConfig#setUnitName`) requests `/rocketmq/<subgroup>-<unit>?nofix=1`
// instead: RocketMQ's TopAddressing appends "-<unit>?nofix=1". Fabio's glob matcher matches the whole path
// and ignores the query string, so such clients need a tag of their own,
// `nameServerIndexTag(prefix, "<subgroup>-<unit>")`; the plain subgroup's tag never answers them.

/** RocketMQ clients use this subgroup when `rocketmq.namesrv.domain.subgroup` is not set. */
export const DEFAULT_SUBGROUP = "nsaddr";

const SUBGROUP = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TAG_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The path RocketMQ's address-server lookup requests for a subgroup. */
export function nameServerIndexPath(subgroup: string = DEFAULT_SUBGROUP): string {
  if (!SUBGROUP.test(subgroup)) {
    throw new RangeError(
      `invalid RocketMQ subgroup ${JSON.stringify(subgroup)}: use letters, digits, '.', '_' or '-' (it becomes a URL path segment)`,
    );
  }
  return `/rocketmq/${subgroup}`;
}

/**
 * The Consul tag a cluster's NameServer-index service must carry. `tagPrefix` is the NameServer-index
 * Fabio's `registry.consul.tagprefix`: `<clusterName>.<fabio.nameServerIndex.tagPrefix>` (stack output
 * `nameServerIndexTagPrefix`).
 */
export function nameServerIndexTag(tagPrefix: string, subgroup: string = DEFAULT_SUBGROUP): string {
  if (!TAG_PREFIX.test(tagPrefix)) {
    throw new RangeError(`invalid Fabio tag prefix ${JSON.stringify(tagPrefix)}`);
  }
  return `${tagPrefix}${nameServerIndexPath(subgroup)}`;
}

/**
 * The subgroup a Consul tag routes in the NameServer-index Fabio with prefix `tagPrefix`, or undefined when
 * the tag is not a NameServer-index tag of that prefix: the inverse of `nameServerIndexTag`.
 */
export function nameServerIndexSubgroup(tagPrefix: string, tag: string): string | undefined {
  const head = nameServerIndexTag(tagPrefix, DEFAULT_SUBGROUP).slice(0, -DEFAULT_SUBGROUP.length);
  if (!tag.startsWith(head)) return undefined;
  const subgroup = tag.slice(head.length);
  return SUBGROUP.test(subgroup) ? subgroup : undefined;
}

/** The URL RocketMQ clients fetch, for documentation and stack outputs. */
export function nameServerIndexUrl(domain: string, port: number, subgroup: string = DEFAULT_SUBGROUP): string {
  return `http://${domain}:${port}${nameServerIndexPath(subgroup)}`;
}

/** Human-readable forms for stack outputs and docs, with `<host>` and `<subgroup>` left as placeholders. */
export function nameServerIndexPatterns(tagPrefix: string, port: number): { url: string; serviceTag: string } {
  const placeholder = "SUBGROUP";
  return {
    url: nameServerIndexUrl("<nameserver-host>", port, placeholder).replace(placeholder, "<subgroup>"),
    serviceTag: nameServerIndexTag(tagPrefix, placeholder).replace(placeholder, "<subgroup>"),
  };
}
