// Turns raw stack config (from a stack file or from the Pulumi engine) into a validated StackConfig.
import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { isAlias, isMap, isScalar, parseDocument, Scalar, type Document, type YAMLError } from "yaml";
import { alertSecretReferences, rawAlertSecretNames } from "./alert-secrets";
import { ConfigError, PROJECT_NAMESPACE, type KeyPath } from "./errors";
import { issueDetail, ruleOf, unknownKeyDetail } from "./issue-message";
import { CONFIG_NAMESPACES, UNREAD_NAMESPACES } from "./namespaces";
import { stackConfigSchema, type StackConfig } from "./schema";

/** Raw config values keyed by `namespace:key` (or a bare key, which Pulumi reads as the project's). */
export type RawConfig = Record<string, unknown>;

/**
 * Keys whose values are secrets. They never enter StackConfig (nothing rendered may depend on them);
 * the Pulumi program reads them as secret Outputs, see config/from-pulumi.ts.
 */
export const SECRET_KEYS = ["consulAclToken"] as const;

export type Problem = { keyPath: KeyPath; detail: string };

/**
 * Validates raw config; `file` is the stack file named in every error, which lists every problem found, the
 * `earlier` ones (such as plainTextSecretsOf) first.
 */
export function parseStackConfig(raw: RawConfig, file: string, earlier: readonly Problem[] = []): StackConfig {
  return checked(file, earlier, raw);
}

/**
 * The config, or a ConfigError with every problem: the namespaces, `earlier` problems (a plain-text secret),
 * and every key the schema rejects, one problem per key. The cross-field checks (ports, names, prefixes) run
 * once every key is valid on its own, as they compare valid values.
 */
function checked(file: string, earlier: readonly Problem[], raw: RawConfig): StackConfig {
  const problems: Problem[] = [...earlier];
  const ours: Record<string, unknown> = {};
  const secretKeys = [...SECRET_KEYS, ...alertSecretNames(raw)];
  for (const [fullKey, value] of Object.entries(raw)) {
    const sep = fullKey.indexOf(":");
    const namespace = sep === -1 ? PROJECT_NAMESPACE : fullKey.slice(0, sep);
    const unread = UNREAD_NAMESPACES[namespace];
    if (unread !== undefined) {
      problems.push({ keyPath: fullKey, detail: `"${namespace}:" ${unread}` });
    } else if (!CONFIG_NAMESPACES.includes(namespace)) {
      problems.push({
        keyPath: fullKey,
        detail: `"${namespace}" is not a config namespace of this program (${CONFIG_NAMESPACES.join(", ")}); check the spelling`,
      });
    } else if (namespace === PROJECT_NAMESPACE) {
      const key = sep === -1 ? fullKey : fullKey.slice(sep + 1);
      if (!secretKeys.includes(key)) ours[key] = value;
    } // else provider config such as nomad:address
  }
  const result = stackConfigSchema.safeParse(ours, { reportInput: true, error: ruleOf });
  if (!result.success) problems.push(...schemaProblems(result.error.issues));
  else problems.push(...alertSecretNameProblems(result.data));
  const error = ConfigError.all(file, problems);
  if (error !== undefined) throw error;
  if (!result.success) throw new Error("unreachable: a failed parse always has an issue"); // narrows result
  return result.data;
}

/** One problem per key: a key that breaks several rules is reported by the first, which the others repeat. */
function schemaProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  const byKey = new Map<string, Problem>();
  for (const issue of issues) {
    const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const unknown of unknownKeys) {
      const keyPath = [...issue.path, ...(unknown === undefined ? [] : [unknown])].map(toKeyPart);
      const detail =
        unknown === undefined
          ? issueDetail(issue)
          : unknownKeyDetail(stackConfigSchema, issue, issue.path.length === 0 ? SECRET_KEYS : []);
      const id = JSON.stringify(keyPath);
      if (!byKey.has(id)) byKey.set(id, { keyPath, detail });
    }
  }
  return [...byKey.values()];
}

/** The secret keys the raw config's Alertmanager receivers name; a schema key is never one. */
function alertSecretNames(raw: RawConfig): string[] {
  const prometheus = raw[`${PROJECT_NAMESPACE}:prometheus`] ?? raw.prometheus;
  const schemaKeys = Object.keys(stackConfigSchema.shape);
  return rawAlertSecretNames(prometheus).filter((name) => !schemaKeys.includes(name));
}

/**
 * A secret's name is a top-level config key: one of this program's own keys cannot be one. Whether it is set
 * is checked where it is read, in the program (config/from-pulumi.ts), as for consulAclToken.
 */
function alertSecretNameProblems(cfg: StackConfig): Problem[] {
  const schemaKeys = Object.keys(stackConfigSchema.shape);
  return alertSecretReferences(cfg.prometheus.alerting)
    .filter(({ name }) => schemaKeys.includes(name) || (SECRET_KEYS as readonly string[]).includes(name))
    .map(({ name, keyPath }) => ({
      keyPath,
      detail: `"${name}" is a config key of this program; name the secret otherwise`,
    }));
}

function toKeyPart(part: PropertyKey): string | number {
  return typeof part === "symbol" ? String(part) : part;
}

/** Reads and validates a stack file such as Pulumi.prod.yaml (used by the render CLI). */
export function loadStackFile(filePath: string): StackConfig {
  const file = path.basename(filePath);
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch {
    throw new ConfigError(file, [], `cannot read the stack file at ${filePath}`);
  }
  const { doc, config } = stackFileConfig(file, text);
  // Through the same encoding the Pulumi engine applies, so the CLI and `pulumi preview` agree on every value.
  return checked(file, plainTextSecrets(config), decodeEngineConfig(encodeAsEngine(doc)));
}

/**
 * The secrets a stack file holds in plain text. The Pulumi program reads its config from the engine, which does
 * not say whether a value was encrypted, so it asks the stack file the same question the render CLI does; a file
 * it cannot read (a `--config-file` elsewhere) has nothing to say.
 */
export function plainTextSecretsOf(filePath: string): Problem[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch {
    return [];
  }
  return plainTextSecrets(stackFileConfig(path.basename(filePath), text).config);
}

function stackFileConfig(file: string, text: string): { doc: Document; config: RawConfig } {
  const doc = parseDocument(text);
  // Only the first: after a syntax error the parser's further errors are mostly echoes of it.
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) throw new ConfigError(file, [], `is not valid YAML: ${yamlErrorLine(syntaxError)}`);
  const config = (doc.toJS() as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError(file, [], "the stack file's `config:` must be a mapping");
  }
  return { doc, config: config as RawConfig };
}

/**
 * `Nested mappings are not allowed in compact mappings at line 2, column 37:` and the lines it quotes become
 * one line ending in the position.
 */
function yamlErrorLine(error: YAMLError): string {
  return error.message.split("\n")[0]!.replace(/:\s*$/, "");
}

/** A secret written in plain text into a committed stack file is a leak, whatever else is valid. */
function plainTextSecrets(config: RawConfig): Problem[] {
  const problems: Problem[] = [];
  for (const key of [...SECRET_KEYS, ...alertSecretNames(config)]) {
    for (const spelled of [key, `${PROJECT_NAMESPACE}:${key}`]) {
      const value = config[spelled];
      const encrypted = typeof value === "object" && value !== null && "secure" in value;
      if (value !== undefined && !encrypted) {
        problems.push({
          keyPath: [key],
          detail: `is stored in plain text; set it with \`pulumi config set --secret ${key} <value>\``,
        });
      }
    }
  }
  return problems;
}

/**
 * What the Pulumi engine hands the program for a stack file's `config:`: one string per key. A mapping or
 * list arrives as JSON. A scalar arrives as the text Pulumi's Go YAML decoder reads into a string (config.Value
 * unmarshals every value as a string first): a plain scalar as written in the file (`1e3` → "1e3", `0x1f` →
 * "0x1f", `010` → "010", `1.0` → "1.0", `true` → "true"), a quoted or block scalar as its string value, and a
 * null (`~`, `null` or no value at all) as "" (the empty string). The program cannot tell `2024` from
 * `"2024"`, so neither can the render CLI.
 */
export function encodeAsEngine(doc: Document): Record<string, string> {
  const config = doc.get("config", true);
  if (!isMap(config)) return {};
  const all: Record<string, string> = {};
  for (const pair of config.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    if (value === null || value === undefined) all[key] = "";
    else if (isScalar(value)) all[key] = scalarText(value);
    else all[key] = JSON.stringify((value as { toJS(doc: Document): unknown }).toJS(doc));
  }
  return all;
}

/** A top-level scalar as Go's YAML decoder reads it into a string. */
function scalarText(scalar: Scalar): string {
  if (scalar.value === null) return "";
  if (scalar.type === Scalar.PLAIN && scalar.source !== undefined) return scalar.source;
  const value: unknown = scalar.value;
  if (typeof value === "string") return value;
  // A quoted or block scalar is a string; what is left is a number, boolean or bigint.
  return typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ? String(value) : "";
}

/**
 * The inverse for the program: JSON mappings and lists are decoded, every top-level scalar stays a string.
 * Hence every top-level scalar key of the schema is a string (`clusterName`); numbers and booleans live
 * inside mappings, where JSON keeps their type.
 */
export function decodeEngineConfig(all: Record<string, string>): RawConfig {
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(all)) {
    raw[key] = value.startsWith("{") || value.startsWith("[") ? parseJsonOr(value) : value;
  }
  return raw;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // the schema then names the key: it expected a mapping or a list
  }
}
