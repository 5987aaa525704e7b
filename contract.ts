// The NameServer-index contract for other repositories: `import { nameServerIndexTag } from
// "rocketmq-system-jobs/contract"`. Dependency-free on purpose (no Pulumi, zod or config), so a RocketMQ
// cluster's deployment can build the tag its NameServer-index service carries without loading this program.
export {
  DEFAULT_SUBGROUP,
  nameServerIndexPath,
  nameServerIndexTag,
  nameServerIndexUrl,
} from "./render/nameserver-index";
