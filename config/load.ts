// Turns raw stack config (from a stack file or from the Pulumi engine) into a validated StackConfig.
import * as fs from "node:fs";
import * as path from "node:path";
import { isAlias, isMap, isScalar, parseDocument, Scalar, type Document } from "yaml";
import { alertSecretReferences, rawAlertSecretNames } from "./alert-secrets";
import { ConfigError, PROJECT_NAMESPACE } from "./errors";
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

/** Validates raw config; `file` is the stack file named in every error. */
export function parseStackConfig(raw: RawConfig, file: string): StackConfig {
  const ours: Record<string, unknown> = {};
  const secretKeys = [...SECRET_KEYS, ...alertSecretNames(raw)];
  for (const [fullKey, value] of Object.entries(raw)) {
    const sep = fullKey.indexOf(":");
    const namespace = sep === -1 ? PROJECT_NAMESPACE : fullKey.slice(0, sep);
    const unread = UNREAD_NAMESPACES[namespace];
    if (unread !== undefined) throw new ConfigError(file, fullKey, `"${namespace}:" ${unread}`);
    if (!CONFIG_NAMESPACES.includes(namespace)) {
      throw new ConfigError(
        file,
        fullKey,
        `"${namespace}" is not a config namespace of this program (${CONFIG_NAMESPACES.join(", ")}); check the spelling`,
      );
    }
    if (namespace !== PROJECT_NAMESPACE) continue; // provider config such as nomad:address
    const key = sep === -1 ? fullKey : fullKey.slice(sep + 1);
    if (!secretKeys.includes(key)) ours[key] = value;
  }
  const result = stackConfigSchema.safeParse(ours, { reportInput: true, error: ruleOf });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const keyPath = keys.length > 0 ? [...issue.path, keys[0]!] : issue.path;
    const detail =
      keys.length > 0
        ? unknownKeyDetail(stackConfigSchema, issue, issue.path.length === 0 ? SECRET_KEYS : [])
        : issueDetail(issue);
    throw new ConfigError(file, keyPath.map(toKeyPart), detail);
  }
  requireAlertSecretNames(result.data, file);
  return result.data;
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
function requireAlertSecretNames(cfg: StackConfig, file: string): void {
  const schemaKeys = Object.keys(stackConfigSchema.shape);
  for (const { name, keyPath } of alertSecretReferences(cfg.prometheus.alerting)) {
    if (schemaKeys.includes(name) || (SECRET_KEYS as readonly string[]).includes(name)) {
      throw new ConfigError(file, keyPath, `"${name}" is a config key of this program; name the secret otherwise`);
    }
  }
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
  const doc = parseDocument(text);
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    throw new ConfigError(file, [], `is not valid YAML: ${syntaxError.message.split("\n")[0]}`);
  }
  const config = (doc.toJS() as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError(file, [], "the stack file's `config:` must be a mapping");
  }
  requireEncryptedSecrets(config as RawConfig, [...SECRET_KEYS, ...alertSecretNames(config as RawConfig)], file);
  // Through the same encoding the Pulumi engine applies, so the CLI and `pulumi preview` agree on every value.
  return parseStackConfig(decodeEngineConfig(encodeAsEngine(doc)), file);
}

/** A secret written in plain text into a committed stack file is a leak, whatever else is valid. */
function requireEncryptedSecrets(config: RawConfig, keys: readonly string[], file: string): void {
  for (const key of keys) {
    for (const spelled of [key, `${PROJECT_NAMESPACE}:${key}`]) {
      const value = config[spelled];
      const encrypted = typeof value === "object" && value !== null && "secure" in value;
      if (value !== undefined && !encrypted) {
        throw new ConfigError(
          file,
          [key],
          `is stored in plain text; set it with \`pulumi config set --secret ${key} <value>\``,
        );
      }
    }
  }
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
