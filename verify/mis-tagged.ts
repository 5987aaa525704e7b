// Services whose tags carry a RocketMQ lookup path under a prefix other than this stack's index prefix: the
// index Fabio never routes them (a 404 for their clients), or another Fabio does (a leak).
import type { StackModel } from "../model";
import { fail, type CheckResult } from "./result";

const LOOKUP_PATH = "/rocketmq/";
const SUBGROUP = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface MisTagged {
  service: string;
  /** Its tags with a `/rocketmq/` path under a wrong prefix. */
  tags: string[];
}

export const misTaggedCheckName = (service: string) => `index tag ${service}`;

/**
 * Another stack on the same Consul routes `<its clusterName>.<same tagPrefix>`: that is its business, not a
 * mistake of this stack's clusters.
 */
function isOtherStacksTag(model: StackModel, prefix: string): boolean {
  const dot = prefix.indexOf(".");
  if (dot <= 0 || prefix.slice(0, dot) === model.config.clusterName) return false;
  const rest = prefix.slice(dot + 1);
  return rest === model.fabios.nameServerIndex.config.tagPrefix;
}

/** Each service with a `/rocketmq/<subgroup>` tag whose prefix is neither this stack's index prefix nor another stack's. */
export function misTaggedServices(model: StackModel, services: Record<string, string[]>): MisTagged[] {
  const own = model.fabios.nameServerIndex.tagPrefix;
  return Object.entries(services)
    .map(([service, tags]) => ({
      service,
      tags: tags.filter((tag) => {
        const at = tag.indexOf(LOOKUP_PATH);
        if (at < 0) return false;
        const prefix = tag.slice(0, at);
        return prefix !== own && !isOtherStacksTag(model, prefix);
      }),
    }))
    .filter((found) => found.tags.length > 0)
    .sort((a, b) => a.service.localeCompare(b.service));
}

export function misTaggedCheck(model: StackModel, found: MisTagged): CheckResult {
  const own = model.fabios.nameServerIndex.tagPrefix;
  const tags = found.tags.map((tag) => `"${tag.slice(0, tag.indexOf(LOOKUP_PATH) + LOOKUP_PATH.length)}…"`);
  const detail = `tagged ${[...new Set(tags)].join(", ")}: this stack's prefix is "${own}" (tag it with nameServerIndexTags(nameServerIndexStack, subgroups))`;
  return { check: misTaggedCheckName(found.service), host: "consul", ...fail(detail) };
}

/** Every subgroup any service's tag routes under any prefix: the paths a leak through another Fabio would serve. */
export function lookupSubgroupsOfAnyPrefix(services: Record<string, string[]>): string[] {
  const subgroups = new Set<string>();
  for (const tags of Object.values(services)) {
    for (const tag of tags) {
      const at = tag.indexOf(LOOKUP_PATH);
      const subgroup = at < 0 ? "" : tag.slice(at + LOOKUP_PATH.length).split(/\s/)[0]!;
      if (SUBGROUP.test(subgroup)) subgroups.add(subgroup);
    }
  }
  return [...subgroups].sort();
}
