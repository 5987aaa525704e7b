// What a rendered Fabio job hands Fabio at run time: the properties and env its template stanzas hold, as
// consul-template renders them.
import type { RenderedJob } from "../../render";
import { parseJobspec, type HclBody } from "./hcl";

/**
 * The `data` of a rendered Fabio job's template stanza, read with HashiCorp's HCL parser: the text
 * consul-template renders into local/fabio.properties (see `renderTemplateActions` for its actions).
 */
export async function fabioPropertiesOf(job: RenderedJob): Promise<string> {
  const { task } = await parseJobspec(job.hcl);
  const templates = (task.template ?? []) as HclBody[];
  const template = templates.find((t) => t.destination === "local/fabio.properties");
  if (template === undefined || typeof template.data !== "string") {
    throw new Error(
      `${job.name}: expected a template writing local/fabio.properties, got ${JSON.stringify(templates)}`,
    );
  }
  return template.data;
}

/**
 * The environment Nomad would give the task from its `env = true` templates (with Consul ACLs on: the
 * token as CONSUL_HTTP_TOKEN), rendered like the real file would be.
 */
export async function fabioTaskEnvOf(job: RenderedJob, variables: NomadVariables): Promise<Record<string, string>> {
  const { task } = await parseJobspec(job.hcl);
  const env: Record<string, string> = {};
  for (const template of ((task.template ?? []) as HclBody[]).filter((t) => t.env === true)) {
    for (const line of renderTemplateActions(String(template.data), variables).split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return env;
}

/** Nomad Variables by path, each a map of items, as a job's tasks would read them. */
export type NomadVariables = Record<string, Record<string, string>>;

const NOMAD_VAR_ITEM = /\{\{ with nomadVar "([^"]+)" \}\}\{\{ \.([A-Za-z0-9_]+) \}\}\{\{ end \}\}/g;

/**
 * Stands in for consul-template on the one action form the project's templates use,
 * `{{ with nomadVar "<path>" }}{{ .<item> }}{{ end }}` (Nomad 1.4+, so no Nomad here can render it), and
 * writes the item's value, as the real file would hold it. Any other `{{` fails: the test must never run
 * a text the real file would not contain.
 */
export function renderTemplateActions(text: string, variables: NomadVariables): string {
  const rendered = text.replace(NOMAD_VAR_ITEM, (_action, varPath: string, item: string) => {
    const value = variables[varPath]?.[item];
    if (value === undefined) throw new Error(`the template reads Nomad Variable ${varPath} item ${item}: none given`);
    return value;
  });
  if (rendered.includes("{{")) {
    throw new Error(`the template holds a consul-template action the test cannot render:\n${rendered}`);
  }
  return rendered;
}
