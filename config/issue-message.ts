// Turns a schema issue into the detail of a ConfigError: what is allowed, and what the stack file gave.
// Zod's own wording ("Invalid input: expected string, received undefined") never reaches a user: every issue
// without a message of the schema's own gets one here, in the same "must …" form the schema's messages use.
import type { z } from "zod";

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
      return `must be ${KINDS[issue.expected] ?? issue.expected}`;
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
  return `${issue.message}; it is ${describeValue(given)}`;
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
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "an empty list";
    const json = JSON.stringify(value);
    return json.length <= 80 ? `the list ${json}` : `a list of ${value.length} items`;
  }
  if (typeof value === "object") return "a mapping";
  return typeof value; // undefined; YAML and JSON hold no other kind of value
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
  const known = [...knownKeysAt(schema, issue.path, issue.input), ...alsoKnown];
  const listed = known.length > 0 ? `; the settings here are ${known.join(", ")}` : "";
  return `is not a known setting (check the spelling${listed})`;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  element?: z.ZodType;
  discriminator?: string;
  values?: unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** Past defaults, optionals and pipes to the schema that holds the value's shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const next = ["default", "prefault", "optional", "nullable"].includes(def.type)
      ? def.innerType
      : def.type === "pipe"
        ? def.in
        : undefined;
    if (next === undefined) return current;
    current = next;
  }
}

/** The mappings a schema can be: an object, or the variants of a union (only the one `input` selects, if any). */
function mappings(schema: z.ZodType, input?: unknown): Record<string, z.ZodType>[] {
  const def = defOf(unwrap(schema));
  if (def.type === "object" && def.shape) return [def.shape];
  if (def.type !== "union" || !def.options) return [];
  const variants = def.options.flatMap((option) => mappings(option));
  const disc = def.discriminator;
  const chosen =
    typeof input === "object" && input !== null && disc ? (input as Record<string, unknown>)[disc] : undefined;
  const selected = variants.filter((shape) => {
    const literal = shape[disc ?? ""];
    return literal !== undefined && (defOf(literal).values ?? []).includes(chosen);
  });
  return selected.length > 0 ? selected : variants;
}

function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let current: z.ZodType[] = [schema];
  for (const part of path) {
    current = current.flatMap((candidate) => {
      const def = defOf(unwrap(candidate));
      if (typeof part === "number") return def.element ? [def.element] : [];
      return mappings(candidate).flatMap((shape) => (shape[String(part)] ? [shape[String(part)]!] : []));
    });
  }
  return [...new Set(current.flatMap((c) => mappings(c, input)).flatMap((shape) => Object.keys(shape)))];
}
