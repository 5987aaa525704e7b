// docs/config-reference.md, generated: the keys and defaults come from the zod schema (its public JSON Schema),
// the meaning of each key from the doc comment on its property in config/*.ts, read with the TypeScript
// compiler API. `npm run docs:config` writes it; a unit test fails while the committed file differs.
import * as path from "node:path";
import * as ts from "typescript";
import { toJSONSchema } from "zod";
import { SECRET_KEYS, stackConfigSchema } from "../config";
import { PROJECT_DIR } from "./cli-io";

export const CONFIG_REFERENCE = path.join("docs", "config-reference.md");

/** The part of a JSON Schema the reference reads. */
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  /** A key the schema refuses whatever its value (z.never): one that moved. */
  not?: unknown;
}

/** One documented key: a mapping (a section of its own), a setting, or a choice of forms (a union). */
export interface ReferenceKey {
  path: string;
  kind: "mapping" | "setting" | "union";
  /** The doc comment of the key's property in the schema; "" when it has none. */
  doc: string;
  /** What may be written: "whole number from 1 to 65535", "`http` or `https`", … */
  accepts: string;
  /** As written in a stack file, or how the key is otherwise set ("required", "unset"). */
  default: string;
}

/** Every key of the stack config schema, in schema order, with its doc comment. */
export function referenceKeys(): ReferenceKey[] {
  const docs = docCommentsByKey();
  const keys: ReferenceKey[] = [];
  const walk = (schema: JsonSchema, prefix: string, required: readonly string[]) => {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const key = prefix === "" ? name : `${prefix}.${name}`;
      const variants = property.oneOf ?? property.anyOf;
      const kind = variants !== undefined ? "union" : property.properties !== undefined ? "mapping" : "setting";
      keys.push({
        path: key,
        kind,
        doc: docs.get(key) ?? "",
        accepts: accepts(property),
        default: defaultOf(property, required.includes(name)),
      });
      if (kind === "mapping") walk(property, key, property.required ?? []);
    }
  };
  const root = toJSONSchema(stackConfigSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  walk(root, "", root.required ?? []);
  return keys;
}

/** What a stack file may write at a key, in a few words. */
function accepts(schema: JsonSchema): string {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants !== undefined) return variants.map((v) => `\`${flow(variantShape(v))}\``).join(" or ");
  if (schema.not !== undefined) return "no longer accepted";
  if (schema.enum !== undefined) return schema.enum.map((v) => `\`${String(v)}\``).join(" or ");
  switch (schema.type) {
    case "string":
      return "text";
    case "boolean":
      return "`true` or `false`";
    case "integer":
    case "number": {
      const noun = schema.type === "integer" ? "whole number" : "number";
      // Zod bounds every whole number by Number.MAX_SAFE_INTEGER; that is no limit a user sets.
      if (schema.minimum !== undefined && schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) {
        return `${noun} from ${schema.minimum} to ${schema.maximum}`;
      }
      return schema.minimum !== undefined ? `${noun}, at least ${schema.minimum}` : noun;
    }
    case "array":
      return `list of ${accepts(schema.items ?? {})}${schema.minItems ? `, at least ${schema.minItems}` : ""}`;
    case "object":
      return "mapping";
    default:
      return "see below";
  }
}

/** A union variant as the keys it takes, its discriminator spelled out: `{by: meta, key, value}`. */
function variantShape(variant: JsonSchema): Record<string, unknown> {
  const shape: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(variant.properties ?? {})) {
    shape[name] = property.const ?? NAME_ONLY;
  }
  return shape;
}

const NAME_ONLY = Symbol("name only");

/** A value in YAML's flow style, as short as a stack file would write it: `{by: nodeClass, nodeClass: nameServer}`. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => (v === NAME_ONLY ? k : `${k}: ${flow(v)}`));
    return `{${entries.join(", ")}}`;
  }
  return String(value);
}

function defaultOf(schema: JsonSchema, required: boolean): string {
  if (schema.default !== undefined && schema.properties === undefined) return `\`${flow(schema.default)}\``;
  if (schema.properties !== undefined) return "";
  return required ? "required" : "unset";
}

/**
 * The doc comment of every key, by key path: the properties of `StackConfigInput` (z.input of the schema),
 * whose declarations are the property assignments in config/*.ts that carry the comments.
 */
function docCommentsByKey(): Map<string, string> {
  const schemaFile = path.join(PROJECT_DIR, "config", "schema.ts");
  const program = ts.createProgram([schemaFile], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    // config/ needs no ambient types (node's alone are most of the program's load time).
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(schemaFile);
  const module = source && checker.getSymbolAtLocation(source);
  const input = module && checker.getExportsOfModule(module).find((s) => s.name === "StackConfigInput");
  if (input === undefined) throw new Error(`${schemaFile} exports no StackConfigInput`);

  const docs = new Map<string, string>();
  const walk = (type: ts.Type, prefix: string) => {
    for (const member of type.isUnion() ? type.types : [type]) {
      if (!(member.flags & ts.TypeFlags.Object) || checker.isArrayType(member)) continue;
      for (const property of checker.getPropertiesOfType(member)) {
        const key = prefix === "" ? property.name : `${prefix}.${property.name}`;
        const doc = ts.displayPartsToString(property.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
        if (doc !== "" && !docs.has(key)) docs.set(key, doc);
        walk(checker.getNonNullableType(checker.getTypeOfSymbol(property)), key);
      }
    }
  };
  walk(checker.getDeclaredTypeOfSymbol(input), "");
  return docs;
}

const INTRO = `# Config reference

<!-- Generated by \`npm run docs:config\` from config/*.ts: edit the doc comments there, not this file. -->

Keys live in the \`rocketmq-system-jobs:\` namespace of \`Pulumi.<stack>.yaml\`. Unknown keys are errors that list
the settings known at that place, and one run reports every problem of a stack file (the first 20, then a count),
one line each naming the file and the key. The checks that compare keys with each other (ports, job names, tag
prefixes) run once every key is valid on its own.

Besides its own, a stack file may use only the Nomad provider's namespace and Pulumi's: \`nomad:\` and \`pulumi:\`
(the list is \`CONFIG_NAMESPACES\` in \`config/namespaces.ts\`). \`consul:\` keys are errors too: the program never uses
the default Consul provider (its ACL resources go through one configured by \`consul.acl.*\` and the secret
\`consulAclToken\`), so a \`consul:address\` or a plain-text \`consul:token\` would have no effect. A key in any other
namespace, such as a misspelt \`rocketmq-sytem-jobs:fabio\`, is an error naming the file and the key, in the render
CLI and in \`pulumi preview\` alike. The program sees every key of the stack's config, but not where it came from:
keys from \`Pulumi.yaml\`'s project \`config:\` or from a Pulumi ESC environment arrive merged with the stack file's and
are reported against \`Pulumi.<stack>.yaml\` too. Keys inside \`nomad:\` are the provider's to check.

A value at the top level (\`clusterName\`) is text, exactly as written in the file, as Pulumi passes it to the
program: \`clusterName: 2024\` and \`clusterName: "2024"\` both name the cluster \`2024\`, and \`1e3\`, \`0x1f\` or \`010\`
stay that text (not 1000, 31 or 10), in the render CLI and in \`pulumi preview\` alike. An empty or null value
(\`~\`, \`null\`) arrives as empty text and is rejected. Inside a mapping YAML's types hold: \`jobName: 5\` is a number
(write \`"5"\`), and a duration needs its unit (\`15s\`, not \`15\`).
`;

/** The secrets, kept out of the schema so nothing rendered can depend on them. */
const SECRETS: Record<(typeof SECRET_KEYS)[number], string> = {
  consulAclToken:
    "Consul management token Pulumi creates the ACL policies and tokens with; required when `consul.acl.enabled` is true. Only via `pulumi config set --secret consulAclToken <token>`: in plain text in the stack file it is an error.",
};

/** The whole of docs/config-reference.md. */
export function configReference(keys: readonly ReferenceKey[] = referenceKeys()): string {
  const lines = [INTRO];
  const top = keys.filter((k) => !k.path.includes("."));
  lines.push("## Top-level keys", "");
  for (const key of top.filter((k) => k.kind !== "mapping")) lines.push(...entry(key));
  for (const section of top) {
    if (section.kind !== "mapping") continue;
    lines.push(`## \`${section.path}\``, "", ...wrap(section.doc, ""), "");
    for (const key of keys.filter((k) => k.path.startsWith(`${section.path}.`))) lines.push(...entry(key));
  }
  lines.push("## Secrets", "");
  for (const key of SECRET_KEYS) {
    lines.push(`- **\`${key}\`** (secret, unset)`, ...wrap(SECRETS[key], "  "), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** A key as a list item: its name, what it accepts and its default, then its meaning on the next line. */
function entry(key: ReferenceKey): string[] {
  if (key.kind === "mapping") return [`### \`${key.path}\``, "", ...wrap(key.doc, ""), ""];
  const head = `- **\`${key.path}\`** (${key.accepts}; ${key.default === "required" || key.default === "unset" ? key.default : `default ${key.default}`})`;
  return [head, ...wrap(key.doc, "  "), ""];
}

/** A paragraph as lines of at most 116 characters, each starting with `indent`. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent.length + line.length + 1 + word.length > 116) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return [...lines, indent + line];
}
