// Secrets reach jobs through Nomad Variables, read by consul-template at run time, never via the jobspec.
import { isDnsLabel } from "../config";

/** The Nomad Variable item that carries a job's Consul token. */
export const TOKEN_ITEM = "consul_token";

/** Nomad gives a job's tasks read access to the variables under its own path, and only those. */
export function nomadVariablePath(jobName: string): string {
  if (!isDnsLabel(jobName)) {
    throw new RangeError(`refusing to build a Nomad Variable path for job ${JSON.stringify(jobName)}`);
  }
  return `nomad/jobs/${jobName}`;
}

/**
 * The consul-template expression a job's template reads its Consul token with. The job name is
 * checked (above) because it lands inside a template action, where escaping would not help.
 */
export function tokenTemplateExpression(jobName: string): string {
  return `{{ with nomadVar "${nomadVariablePath(jobName)}" }}{{ .${TOKEN_ITEM} }}{{ end }}`;
}

/**
 * An env-file template body (`env = true`) that gives a task its Consul token as CONSUL_HTTP_TOKEN, for
 * programs that would log a token passed as configuration.
 */
export function consulTokenEnvFile(jobName: string): string {
  return `CONSUL_HTTP_TOKEN=${tokenTemplateExpression(jobName)}\n`;
}
