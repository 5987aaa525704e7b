// A small writer for flat HCL config files (agent configs, packer variables), laid out as `nomad fmt`
// leaves them: two-space indent, `=` aligned within a run of attributes, a blank line around blocks.

export type HclValue = string | number | boolean | readonly string[] | HclMap;

/** An object value (`meta = { "k" = "v" }`): keys are quoted, so any key survives. */
export interface HclMap {
  readonly map: Readonly<Record<string, string>>;
}

export interface HclBlock {
  readonly block: string;
  /** The block's label (`host_volume "prometheus" { … }`), quoted like any string. */
  readonly label?: string;
  readonly body: readonly HclEntry[];
}

export type HclEntry = readonly [name: string, value: HclValue] | HclBlock;

/** Turns a value into a quoted HCL string literal; the caller picks the escape its reader needs. */
export type Quote = (value: string) => string;

/** `# `-prefixed lines; a newline inside the text cannot end the comment early. */
export function hclComment(text: string): string {
  return text
    .split(/\r?\n|\r/)
    .map((line) => `# ${line}`.trimEnd())
    .join("\n");
}

/** The file: an optional comment header, then the body, ending in a newline. */
export function writeHcl(body: readonly HclEntry[], quote: Quote, header?: string): string {
  const text = writeBody(body, quote, "");
  return header === undefined ? `${text}\n` : `${hclComment(header)}\n\n${text}\n`;
}

function isBlock(entry: HclEntry): entry is HclBlock {
  return "block" in entry;
}

function isMap(value: HclValue): value is HclMap {
  return typeof value === "object" && !Array.isArray(value);
}

function writeBody(body: readonly HclEntry[], quote: Quote, indent: string): string {
  const chunks: string[] = [];
  let run: (readonly [string, Exclude<HclValue, HclMap>])[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const width = Math.max(...run.map(([name]) => name.length));
    chunks.push(run.map(([name, value]) => `${indent}${name.padEnd(width)} = ${literal(value, quote)}`).join("\n"));
    run = [];
  };
  for (const entry of body) {
    if (isBlock(entry)) {
      flush();
      const label = entry.label === undefined ? "" : ` ${quote(entry.label)}`;
      chunks.push(`${indent}${entry.block}${label} {\n${writeBody(entry.body, quote, `${indent}  `)}\n${indent}}`);
    } else {
      const [name, value] = entry;
      if (isMap(value)) {
        flush();
        chunks.push(`${indent}${name} = ${mapLiteral(value, quote, indent)}`);
      } else {
        run.push([name, value]);
      }
    }
  }
  flush();
  return chunks.join("\n\n");
}

function literal(value: Exclude<HclValue, HclMap>, quote: Quote): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `[${value.map(quote).join(", ")}]`;
}

function mapLiteral(value: HclMap, quote: Quote, indent: string): string {
  const entries = Object.entries(value.map).map(([k, v]) => [quote(k), quote(v)] as const);
  if (entries.length === 0) return "{}";
  const width = Math.max(...entries.map(([k]) => k.length));
  const lines = entries.map(([k, v]) => `${indent}  ${k.padEnd(width)} = ${v}`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}
