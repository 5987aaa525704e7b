// Secrets reach jobs through Nomad Variables, read by consul-template at run time, never via the jobspec.
// A job's variable path is resolved in the stack model (`JobModel.variablePath`, checked there: it lands
// inside a template action, where escaping would not help).

/** The Nomad Variable item that carries a job's Consul token. */
export const TOKEN_ITEM = "consul_token";

/** The consul-template expression a job's template reads its Consul token with. */
export function tokenTemplateExpression(job: { variablePath: string }): string {
  return `{{ with nomadVar "${job.variablePath}" }}{{ .${TOKEN_ITEM} }}{{ end }}`;
}

/**
 * An env-file template body (`env = true`) that gives a task its Consul token as CONSUL_HTTP_TOKEN, for
 * programs that would log a token passed as configuration.
 */
export function consulTokenEnvFile(job: { variablePath: string }): string {
  return `CONSUL_HTTP_TOKEN=${tokenTemplateExpression(job)}\n`;
}
