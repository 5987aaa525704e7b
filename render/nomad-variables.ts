// Secrets reach jobs through Nomad Variables, read by consul-template at run time, never via the jobspec.
// A job's variable path is resolved in the stack model (`JobModel.variablePath`).
import { isDnsLabel } from "../config";

/** The Nomad Variable item that carries a job's Consul token. */
export const TOKEN_ITEM = "consul_token";

/**
 * The consul-template expression a job's template reads its Consul token with. The job name is checked
 * because its variable path lands inside a template action, where escaping would not help.
 */
export function tokenTemplateExpression(job: { name: string; variablePath: string }): string {
  if (!isDnsLabel(job.name)) {
    throw new RangeError(`refusing to build a Nomad Variable path for job ${JSON.stringify(job.name)}`);
  }
  return `{{ with nomadVar "${job.variablePath}" }}{{ .${TOKEN_ITEM} }}{{ end }}`;
}

/**
 * An env-file template body (`env = true`) that gives a task its Consul token as CONSUL_HTTP_TOKEN, for
 * programs that would log a token passed as configuration.
 */
export function consulTokenEnvFile(job: { name: string; variablePath: string }): string {
  return `CONSUL_HTTP_TOKEN=${tokenTemplateExpression(job)}\n`;
}
