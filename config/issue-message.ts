// Turns a schema issue into the detail of a ConfigError: what is allowed, and what the stack file gave.
// Zod's own wording ("Invalid input: expected string, received undefined") never reaches a user: every issue
// without a message of the schema's own gets one here, in the same "must …" form the schema's messages use.
import { toJSONSchema, type z } from "zod";

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** `expected` of an invalid_type issue, as the kind of value the user should write. */
const KINDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
};

/**
 * The rule an issue broke, as a "must …" phrase, for issues the schema gave no message of its own: passed to
 * `safeParse` as its error map, which Zod consults only when the schema has no message for the issue.
 */
export function ruleOf(issue: RawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // YAML reads `jobName: 5` or `value: true` as a number or a boolean; quoting makes it text.
      return issue.expected === "string" && (typeof issue.input === "number" || typeof issue.input === "boolean")
        ? `must be text (in quotes: "${String(issue.input)}")`
        : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case "too_small":
      return issue.origin === "array"
        ? `must list at least ${count(issue.minimum, "item")}`
        : issue.origin === "string"
          ? Number(issue.minimum) <= 1
            ? "must not be empty"
            : `must be at least ${count(issue.minimum, "character")}`
          : `must be ${issue.inclusive === false ? "above" : "at least"} ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `must list at most ${count(issue.maximum, "item")}`
        : issue.origin === "string"
          ? `must be at most ${count(issue.maximum, "character")}`
          : `must be ${issue.inclusive === false ? "below" : "at most"} ${issue.maximum}`;
    case "invalid_value":
      return `must be ${oneOf(issue.values)}`;
    case "invalid_union":
      return "discriminator" in issue && Array.isArray(issue.options)
        ? `must be ${oneOf(issue.options as unknown[])}`
        : "must take one of the forms the config reference lists";
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    default:
      return "must be a value the config reference allows";
  }
}

/**
 * The detail a user reads. A "must …" rule gets what was given appended (or "is not set" when nothing was);
 * any other message is a sentence that already names the values involved (the cross-field checks).
 */
export function issueDetail(issue: Issue): string {
  if (!issue.message.startsWith("must ")) return issue.message;
  const given = givenValue(issue);
  if (given === undefined) return `is not set; it ${issue.message}`;
  // Given the wrong kind of value, the kind is what the user has to see ("9998" is text, not a number).
  const described = issue.code === "invalid_type" ? describeKindAndValue(given) : describeValue(given);
  return `${issue.message}; it is ${described}`;
}

/** The value the issue is about: for a discriminated union, the discriminator's value, not the whole mapping. */
function givenValue(issue: Issue): unknown {
  const input = issue.input;
  if (issue.code === "invalid_union" && "discriminator" in issue && typeof issue.discriminator === "string") {
    return typeof input === "object" && input !== null
      ? (input as Record<string, unknown>)[issue.discriminator]
      : undefined;
  }
  return input;
}

/** A value as a user would recognise it from their stack file. */
export function describeValue(value: unknown): string {
  if (value === null || value === "") return "empty";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return describeNumber(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "an empty list";
    const json = JSON.stringify(value);
    return json.length <= 80 ? `the list ${json}` : `a list of ${value.length} items`;
  }
  if (typeof value === "object") return "a mapping";
  return typeof value; // undefined; YAML and JSON hold no other kind of value
}

function describeKindAndValue(value: unknown): string {
  if (typeof value === "string" && value !== "") return `the text ${JSON.stringify(value)}`;
  if (typeof value === "number") return `the number ${describeNumber(value)}`;
  return describeValue(value);
}

/**
 * A number as written, never in JavaScript's exponent form (`1e+23`): a whole number too large to hold
 * exactly is given by its count of digits, a tiny fraction in full.
 */
function describeNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `a ${Math.floor(Math.log10(Math.abs(value))) + 1}-digit number`;
  }
  const shown = String(value);
  if (!shown.includes("e")) return shown;
  // What is left in exponent form is a fraction below 1e-6: `1.5e-7` → `0.00000015`.
  const [mantissa = "", exponent = "0"] = shown.replace(/^-/, "").split("e");
  const digits = mantissa.replace(".", "");
  const point = (mantissa.includes(".") ? mantissa.indexOf(".") : mantissa.length) + Number(exponent);
  return `${value < 0 ? "-" : ""}0.${"0".repeat(-point)}${digits}`;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length <= 2 ? shown.join(" or ") : `one of ${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`;
}

function count(n: number | bigint, noun: string): string {
  return `${n} ${noun}${Number(n) === 1 ? "" : "s"}`;
}

/**
 * What an unknown key's error says: that it is unknown, and which keys the mapping at `issue.path` knows (for a
 * union, the variant its discriminator picks). `alsoKnown` adds keys kept out of the schema (secrets).
 */
export function unknownKeyDetail(
  schema: z.ZodType,
  issue: { path: readonly PropertyKey[]; input?: unknown },
  alsoKnown: readonly string[] = [],
): string {
  const known = [...knownKeysAt(jsonSchemaOf(schema), issue.path, issue.input), ...alsoKnown];
  const listed = known.length > 0 ? `; the settings here are ${known.join(", ")}` : "";
  return `is not a known setting (check the spelling${listed})`;
}

/**
 * The keys a schema knows are read from its JSON Schema (Zod's public `toJSONSchema`, the input side: what a
 * stack file may hold), not from Zod's internal definitions, which change between releases.
 */
interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  const?: unknown;
}

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = jsonSchemas.get(schema);
  if (json === undefined) {
    json = toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/** The mappings a schema can be: an object, or the variants of a union (only those `input` selects, if any). */
function mappings(schema: JsonSchema, input?: unknown): Record<string, JsonSchema>[] {
  if (schema.properties !== undefined) {
    const selects = Object.entries(schema.properties).every(
      ([key, property]) =>
        property.const === undefined ||
        typeof input !== "object" ||
        input === null ||
        (input as Record<string, unknown>)[key] === property.const,
    );
    return selects ? [schema.properties] : [];
  }
  const variants = schema.oneOf ?? schema.anyOf ?? [];
  const selected = variants.flatMap((variant) => mappings(variant, input));
  return selected.length > 0 ? selected : variants.flatMap((variant) => mappings(variant));
}

function knownKeysAt(schema: JsonSchema, path: readonly PropertyKey[], input: unknown): string[] {
  let current: JsonSchema[] = [schema];
  for (const part of path) {
    current = current.flatMap((candidate) => {
      if (typeof part === "number") return candidate.items ? [candidate.items] : [];
      return mappings(candidate).flatMap((shape) => (shape[String(part)] ? [shape[String(part)]!] : []));
    });
  }
  return [...new Set(current.flatMap((c) => mappings(c, input)).flatMap((shape) => Object.keys(shape)))];
}
