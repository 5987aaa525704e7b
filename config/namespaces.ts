// The config namespaces a stack file may use. Pulumi reads every key as `<namespace>:<key>` and passes any
// namespace through, so a misspelt one (`rocketmq-sytem-jobs:fabio`) would otherwise vanish silently.
import { PROJECT_NAMESPACE } from "./errors";

/**
 * The project's own namespace, the providers the program creates resources with (`nomad`, `consul`), and
 * Pulumi's (`pulumi:tags`, `pulumi:template`, …). A key in any other namespace is a config error.
 */
export const CONFIG_NAMESPACES: readonly string[] = [PROJECT_NAMESPACE, "nomad", "consul", "pulumi"];
