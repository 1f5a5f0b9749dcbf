/**
 * Markdown building blocks for the plan and diff comments. Every string that comes from a plan (a
 * name, a message, a value) goes through `code`, `cellCode` or `mdText`, so a hostile plan cannot
 * open a link, mention someone, inject HTML or break out of a table.
 */

/** Where the renderers stop, leaving room below GitHub's 65,536 limit for the marker and other stacks. */
export const MARKDOWN_LIMIT = 60_000;

/** Line breaks end a table row or a list item; text from a plan is shown on one line. */
function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, " ");
}

/**
 * Inline code for any text: the fence is one backtick longer than the longest run inside, and a
 * space pads a value that starts or ends with a backtick (CommonMark, "Code spans"). Nothing inside a
 * code span is a link, a mention or HTML on GitHub.
 */
export function code(text: string): string {
  const flat = oneLine(text);
  if (flat === "") return "` `";
  const longest = (flat.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `code` for a table cell: GitHub splits cells at a pipe even inside a code span unless it is escaped. */
export function cellCode(text: string): string {
  return code(text).replace(/\|/g, "\\|");
}

/**
 * ASCII punctuation that Markdown or HTML could act on inside a line (emphasis, code, links and
 * images, HTML and entities, tables, strikethrough); a backslash makes each one literal.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]<>#|~&!]/g;

/**
 * Plan text shown as prose (a message, a label) inside a line, never at its start (where `1.` or `-`
 * would open a list): one line, Markdown and HTML punctuation escaped, safe in a table cell.
 * GitHub also turns `@name`, `#123` and URLs into mentions and links after Markdown is parsed, so a
 * zero-width space (U+200B) after `@`, `#`, `://` and `www` breaks each of those.
 */
export function mdText(text: string): string {
  const escaped = oneLine(text).replace(MARKDOWN_PUNCTUATION, "\\$&");
  return escaped.replace(/@|#|:\/\/|\bwww(?=\.)/gi, "$&\u200b");
}

/** A table cell: pipes escaped, line breaks flattened. */
export function mdCell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

/** Compact JSON of a value, cut at `max` characters. */
export function shortJson(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** 65536 → "65,536", independent of the machine's locale. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/**
 * Cuts Markdown at a line boundary so it fits `limit`, closing any open code fence or <details>
 * block, and says what was left out.
 */
export function capMarkdown(markdown: string, limit = MARKDOWN_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const reserve = 400;
  let cut = markdown.lastIndexOf("\n", limit - reserve);
  if (cut < 0) cut = limit - reserve;
  let kept = markdown.slice(0, cut);
  if ((kept.match(/^```/gm) ?? []).length % 2 === 1) kept += "\n```";
  const open = (kept.match(/<details>/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) kept += "\n\n</details>";
  const omitted = markdown.length - cut;
  return `${kept}\n\n> **Truncated:** ${count(omitted)} more characters did not fit in a comment. The full plan is in the JSON (\`azlab plan --format json\`, or the workflow's artifact).\n`;
}
