// The config namespaces a stack file may use. Pulumi reads every key as `<namespace>:<key>` and passes any
// namespace through, so a misspelt one (`rocketmq-sytem-jobs:fabio`) would otherwise vanish silently.
import { PROJECT_NAMESPACE } from "./errors";

/**
 * The project's own namespace, the provider whose default instance the program creates resources with
 * (`nomad`), and Pulumi's (`pulumi:tags`, `pulumi:template`, …). A key in any other namespace is a config error.
 */
export const CONFIG_NAMESPACES: readonly string[] = [PROJECT_NAMESPACE, "nomad", "pulumi"];

/**
 * Namespaces of providers the program uses only through an explicit provider instance, so their keys would
 * have no effect (a `consul:token` would sit there in plain text, ignored): each maps to what to set instead.
 */
export const UNREAD_NAMESPACES: Readonly<Record<string, string>> = {
  consul: `keys have no effect: the program never uses the default Consul provider; its ACL resources use one configured by ${PROJECT_NAMESPACE}:consul.acl (address, scheme, datacenter) and the secret ${PROJECT_NAMESPACE}:consulAclToken`,
};
