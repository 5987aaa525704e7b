// The NameServer-index contract for other repositories: `import { nameServerIndexTags } from
// "rocketmq-system-jobs/contract"`. Dependency-free on purpose (no Pulumi, zod or config), so a RocketMQ
// cluster's deployment can build the tags its NameServer-index service carries without loading this program.
export {
  DEFAULT_SUBGROUP,
  nameServerIndexMarkerTag,
  nameServerIndexMemberTag,
  nameServerIndexPath,
  nameServerIndexTag,
  nameServerIndexTags,
  nameServerIndexUrl,
  type NameServerIndexLookup,
  type NameServerIndexStack,
} from "./render/nameserver-index";
