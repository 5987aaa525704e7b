// The diff for a terminal: plain text, coloured with ANSI escapes when asked (stdout is a TTY).
import {
  artifactLines,
  artifactTitle,
  baseName,
  baseNoteLine,
  hasChanges,
  noChangesLine,
  type DiffReport,
  type Line,
  type Style,
} from "./report";

const COLOURS: Record<Style, string | undefined> = {
  added: "32",
  removed: "31",
  changed: "33",
  flag: "1;33",
  heading: "1",
  hunk: "36",
  context: undefined,
  plain: undefined,
};

export function formatText(report: DiffReport, options: { colour: boolean }): string {
  const paint = ({ style, text }: Line) => {
    const code = COLOURS[style];
    return options.colour && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
  };
  const lines: Line[] = [];
  const note = baseNoteLine(report);
  if (note !== undefined) lines.push({ style: "flag", text: `! ${note}` });
  const delivery: Line = { style: "plain", text: report.alertDelivery };
  if (!hasChanges(report))
    return [...lines, { style: "plain" as const, text: noChangesLine(report) }, delivery].map(paint).join("\n");

  lines.push({ style: "heading", text: `Stack "${report.stack}": ${baseName(report)} → working tree` });
  lines.push(delivery);
  for (const c of report.consequences) lines.push({ style: "flag", text: `! ${c.message}` });
  for (const artifact of report.artifacts) {
    lines.push({ style: "plain", text: "" });
    lines.push({ style: "heading", text: artifactTitle(artifact) });
    for (const line of artifactLines(artifact)) lines.push({ style: line.style, text: `  ${line.text}` });
  }
  return lines.map(paint).join("\n");
}
