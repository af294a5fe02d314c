// The headings of a Markdown document and the first paragraph under each, for Illustrate Document.
// Pure: lines in, positions out. Front matter, fenced code and HTML comments hold no headings.

export interface Heading {
  /** 0-based line of the heading text (for a setext heading, the line above its underline). */
  line: number;
  /** 0-based last line of the heading: the underline of a setext heading, else `line`. */
  endLine: number;
  /** 1–6. */
  level: number;
  /** The heading's text without markers, closing hashes or inline Markdown. */
  text: string;
}

export interface OutlineSection extends Heading {
  /** The first paragraph of prose under the heading, as plain text ('' when there is none). */
  paragraph: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** Lines of the text, without their line breaks (CRLF or LF). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** How many leading lines are YAML (`---`) or TOML (`+++`) front matter. */
function frontMatterLength(lines: readonly string[]): number {
  const open = lines[0]?.trimEnd();
  if (open !== '---' && open !== '+++') return 0;
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].trimEnd();
    if (t === open || (open === '---' && t === '...')) return i + 1;
  }
  return 0;
}

/**
 * Which lines are Markdown prose (true) rather than front matter, fenced code or an HTML comment
 * (false): a `#` inside those is not a heading.
 */
export function proseLines(lines: readonly string[]): boolean[] {
  const prose = lines.map(() => true);
  const front = frontMatterLength(lines);
  for (let i = 0; i < front; i++) prose[i] = false;
  let fence: string | undefined;
  let comment = false;
  for (let i = front; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      prose[i] = false;
      const close = FENCE.exec(line);
      if (
        close &&
        close[1][0] === fence[0] &&
        close[1].length >= fence.length &&
        !line.slice(close[0].length).trim()
      )
        fence = undefined;
      continue;
    }
    if (comment) {
      prose[i] = false;
      if (line.includes('-->')) comment = false;
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      prose[i] = false;
      fence = open[1];
      continue;
    }
    if (/^ {0,3}<!--/.test(line)) {
      prose[i] = false;
      comment = !line.includes('-->', line.indexOf('<!--') + 4);
    }
  }
  return prose;
}

/** Inline Markdown to plain text: links and images keep their text, emphasis and code marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every heading of the document, in order. */
export function parseHeadings(lines: readonly string[]): Heading[] {
  const prose = proseLines(lines);
  const headings: Heading[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!prose[i]) continue;
    const atx = ATX.exec(lines[i]);
    if (atx) {
      headings.push({ line: i, endLine: i, level: atx[1].length, text: plainText(atx[2] ?? '') });
      continue;
    }
    // Setext: one line of text directly above a line of = or -, after a blank line or a heading.
    const next = lines[i + 1];
    if (next === undefined || !prose[i + 1] || !lines[i].trim()) continue;
    const underline = SETEXT.exec(next);
    if (!underline || /^ {4}/.test(lines[i])) continue;
    const above = i > 0 ? lines[i - 1] : '';
    const startsBlock = i === 0 || !prose[i - 1] || !above.trim() || ATX.test(above);
    if (
      !startsBlock ||
      ATX.test(lines[i]) ||
      THEMATIC.test(lines[i]) ||
      /^ {0,3}([-*+]|\d+[.)]) /.test(lines[i])
    )
      continue;
    headings.push({
      line: i,
      endLine: i + 1,
      level: underline[1][0] === '=' ? 1 : 2,
      text: plainText(lines[i]),
    });
    i++;
  }
  return headings;
}

/** A line that starts something other than prose: image, list, table, quote marker, HTML block, rule. */
function isNonProse(line: string): boolean {
  const t = line.trim();
  return (
    /^!\[[^\]]*\]\([^)]*\)$/.test(t) ||
    /^\|/.test(t) ||
    /^<[a-zA-Z/!]/.test(t) ||
    THEMATIC.test(line) ||
    /^\[[^\]]+\]:/.test(t) ||
    /^(image::|\.\. image::|\\includegraphics)/.test(t)
  );
}

/** The first paragraph of prose between `from` (inclusive) and `to` (exclusive), as plain text. */
export function firstParagraph(
  lines: readonly string[],
  prose: readonly boolean[],
  from: number,
  to: number,
): string {
  let i = from;
  while (i < to && (!prose[i] || !lines[i].trim() || isNonProse(lines[i]))) i++;
  const parts: string[] = [];
  for (; i < to && prose[i] && lines[i].trim() && !isNonProse(lines[i]); i++) {
    parts.push(lines[i].replace(/^\s*(>\s*)*/, '').replace(/^([-*+]|\d+[.)])\s+/, ''));
  }
  return plainText(parts.join(' '));
}

/** The headings of the document, each with the first paragraph of its own text (before any sub-heading). */
export function outline(text: string): OutlineSection[] {
  const lines = splitLines(text);
  const prose = proseLines(lines);
  const headings = parseHeadings(lines);
  return headings.map((h, i) => ({
    ...h,
    paragraph: firstParagraph(lines, prose, h.endLine + 1, headings[i + 1]?.line ?? lines.length),
  }));
}
