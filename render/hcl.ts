// HCL literal encoding: the one escape every user value passes through on its way into a jobspec.

/**
 * Escapes text for the inside of an HCL double-quoted string. `${` and `%{` would start HCL
 * template interpolation/directives, so they are doubled (`$${`, `%%{`), which HCL reads back as
 * the literal characters.
 */
export function escapeHclString(value: string): string {
  return value.replace(/[\\"\n\r\t]|\$\{|%\{/g, (match) => {
    switch (match) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      case "${":
        return "$${";
      default:
        return "%%{";
    }
  });
}

export function hclString(value: string): string {
  return `"${escapeHclString(value)}"`;
}

export function hclStringList(values: readonly string[]): string {
  return `[${values.map(hclString).join(", ")}]`;
}

/** List items one per line, as `nomad fmt` leaves long lists: `<indent>"value",` each with its newline. */
export function hclStringListItems(values: readonly string[], indent: string): string {
  return values.map((v) => `${indent}${hclString(v)},\n`).join("");
}

/**
 * A heredoc keeps an embedded file readable for the operator. Inside it only `${` and `%{` need
 * escaping; the closing marker is chosen so that no line of the text can end the heredoc early.
 */
export function hclHeredoc(text: string): string {
  const body = text.replace(/\$\{|%\{/g, (m) => (m === "${" ? "$${" : "%%{"));
  const lines = new Set(body.split("\n").map((line) => line.trim()));
  let marker = "EOT";
  for (let n = 1; lines.has(marker); n++) marker = `EOT${n}`;
  const terminated = body.endsWith("\n") ? body : `${body}\n`;
  return `<<${marker}\n${terminated}${marker}`;
}
