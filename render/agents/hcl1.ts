// String literals for Consul 1.8 and Nomad 1.1 agent config files, which those agents read with HCL v1.
import { hclString } from "../hcl";

/**
 * The project's HCL escape, made safe for HCL v1 readers. HCL v1 has no `$${` escape: it keeps `$${x}`
 * as those four characters, and after a `${` it stops ending the string at `"` or a newline, so an
 * escaped `${` would change the value or swallow the rest of the file. A `\u0024` escape is decoded
 * after template scanning in both HCL versions, so `\u0024{` reads back as a literal `${` in Consul,
 * in Nomad and in HashiCorp's HCL 2 parser alike (likewise `\u0025{` for `%{`).
 */
export function agentHclString(value: string): string {
  return hclString(value).replace(/\$\$\{|%%\{/g, (m) => (m === "$${" ? "\\u0024{" : "\\u0025{"));
}
