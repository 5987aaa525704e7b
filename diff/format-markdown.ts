// The diff as a pull-request comment: collapsible per artifact, cut to fit GitHub's comment size.
import {
  artifactLines,
  artifactTitle,
  baseName,
  baseNoteLine,
  hasChanges,
  noChangesLine,
  type DiffReport,
  type Line,
} from "./report";

/** GitHub refuses a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** The command that shows the whole diff, named in the truncation note. */
  rerun: string;
  /** Characters the comment may take; GitHub's limit by default. */
  limit?: number;
}

/** The hidden first line a workflow finds its earlier comment for the stack by, to update it. */
export function commentMarker(stack: string): string {
  return `<!-- rocketmq-system-jobs diff: stack ${stack} -->`;
}

export function formatMarkdown(report: DiffReport, options: MarkdownOptions): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const head: string[] = [commentMarker(report.stack)];
  head.push(`### Rendered diff of stack \`${report.stack}\` against \`${escapeCode(baseName(report))}\``, "");
  const note = baseNoteLine(report);
  if (note !== undefined) head.push(`> **Note:** ${escapeHtml(note)}`, "");
  if (!hasChanges(report)) {
    return [...head, escapeHtml(noChangesLine(report)), "", escapeHtml(report.alertDelivery), ""].join("\n");
  }
  head.push(escapeHtml(report.alertDelivery), "");

  if (report.consequences.length > 0) {
    head.push("**What this means for running allocations**", "");
    for (const c of report.consequences) head.push(`- :warning: ${escapeHtml(c.message)}`);
    head.push("");
  }
  const blocks = report.artifacts.map((artifact) => {
    const body = artifactLines(artifact).map(signFirst);
    const title = `<code>${escapeHtml(artifactTitle(artifact))}</code>`;
    if (body.length === 0) return { open: `- ${title}\n`, body, close: "" };
    const fence = fenceFor(body);
    return {
      open: `<details><summary>${title}</summary>\n\n${fence}diff\n`,
      body,
      close: `${fence}\n\n</details>\n`,
    };
  });
  return fit(head.join("\n") + "\n", blocks, limit, options.rerun);
}

/** GitHub colours a diff block's line only when `+` or `-` is its first character: move the sign there. */
function signFirst(line: Line): string {
  if (line.style !== "added" && line.style !== "removed") return line.text;
  return line.text.replace(/^(\s*)([-+]) ?/, "$2 $1");
}

interface Block {
  open: string;
  body: string[];
  close: string;
}

/**
 * Adds blocks while they fit; the block that does not fit is cut after its last whole line that does, and a
 * note says what was left out and how to see all of it.
 */
function fit(head: string, blocks: Block[], limit: number, rerun: string): string {
  const totalLines = blocks.reduce((n, b) => n + b.body.length + 1, 0);
  const noteFor = (shownLines: number, hiddenArtifacts: number) =>
    `\n> **Truncated** to fit a comment: ${totalLines - shownLines} more lines` +
    ` (${hiddenArtifacts} ${hiddenArtifacts === 1 ? "artifact" : "artifacts"} not or not fully shown).` +
    ` Run \`${escapeCode(rerun)}\` for the whole diff.\n`;
  // Room for the longest note this comment could need.
  const reserve = noteFor(0, blocks.length).length + String(totalLines).length;
  if (head.length + blocks.reduce((n, b) => n + blockLength(b), 0) <= limit) {
    return head + blocks.map((b) => b.open + b.body.map((l) => `${l}\n`).join("") + b.close).join("\n");
  }
  let out = head;
  let shownLines = 0;
  for (const [index, block] of blocks.entries()) {
    const room = limit - reserve - out.length;
    if (blockLength(block) + 1 <= room) {
      out += block.open + block.body.map((l) => `${l}\n`).join("") + block.close + "\n";
      shownLines += block.body.length + 1;
      continue;
    }
    let body = "";
    let kept = 0;
    const frame = block.open.length + block.close.length + 1;
    for (const line of block.body) {
      if (frame + body.length + line.length + 1 > room) break;
      body += `${line}\n`;
      kept++;
    }
    if (kept > 0) {
      out += block.open + body + block.close + "\n";
      shownLines += kept + 1;
    }
    return out + noteFor(shownLines, blocks.length - index);
  }
  return out;
}

function blockLength(block: Block): number {
  return block.open.length + block.close.length + block.body.reduce((n, l) => n + l.length + 1, 0) + 1;
}

/** A fence longer than any backtick run in the body, so template data cannot close it. */
function fenceFor(body: string[]): string {
  const longest = Math.max(0, ...body.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  return "`".repeat(Math.max(3, longest + 1));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inside a single-backtick code span, a backtick would end it. */
function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
