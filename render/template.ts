// Renders the logic-free jobspec templates in jobspecs/ with `[[ ]]` tags.
import * as fs from "node:fs";
import * as path from "node:path";
import Mustache from "mustache";
import { escapeHclString } from "./hcl";

const TEMPLATE_DIR = path.resolve(__dirname, "..", "jobspecs");
const TAGS: [string, string] = ["[[", "]]"];

/**
 * Values a template may reference: each template's view is an interface declared beside its renderer.
 * `[[x]]` is HCL-string escaped; `[[& x]]` is inserted verbatim; `[[#x]]…[[/x]]` is shown when x is true.
 */
export type TemplateView<V> = { [K in keyof V]: string | number | boolean };

const cache = new Map<string, string>();

/** The template text is a packaged asset, read once; rendering itself stays a pure function of `view`. */
function templateText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(TEMPLATE_DIR, name), "utf8");
    cache.set(name, text);
  }
  return text;
}

/**
 * `{{ }}` is left alone for consul-template. Mustache's escape is replaced by the HCL-string escape,
 * so `[[x]]` is always safe inside quotes; pre-built HCL (lists, heredocs) goes in as `[[& x]]`.
 */
export function renderTemplate<V extends TemplateView<V>>(name: string, view: V): string {
  const text = templateText(name);
  const missing = referencedNames(text).filter((key) => !(key in view));
  if (missing.length > 0)
    throw new Error(`${name} references ${missing.join(", ")}, which the renderer does not provide`);
  return Mustache.render(
    text,
    view,
    {},
    {
      tags: TAGS,
      escape: (value: unknown) => escapeHclString(String(value)),
    },
  );
}

/** Names a template references; mustache would silently render a missing one as "". */
function referencedNames(text: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown[]): void => {
    for (const token of tokens as [string, string, number, number, unknown[]?][]) {
      const [type, value, , , children] = token;
      if (["name", "&", "#", "^"].includes(type) && value !== ".") names.add(value);
      if (Array.isArray(children)) walk(children);
    }
  };
  walk(Mustache.parse(text, TAGS));
  return [...names];
}
