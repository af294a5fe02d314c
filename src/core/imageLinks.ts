// Image links in Markdown text: `![alt](target "title")`, `![alt](<target with spaces>)` and
// `<img src="…">`. Pure: offsets into the text, so the caller maps them to editor positions.
import { fileTimestamp, sanitizeFileName } from './fileNames';

export interface ImageLink {
  /** Offsets of the whole link (`![…](…)` or `<img …>`) in the text. */
  start: number;
  end: number;
  alt: string;
  /** The target as written, `<…>` removed and `%XX` decoded. */
  target: string;
}

const MARKDOWN =
  /!\[((?:\\.|[^\]\\\n])*)\]\(\s*(<[^>\n]*>|(?:\\.|\([^()\s]*\)|[^()\s\\])+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;
const HTML = /<img\b[^>]*?\bsrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)[^>]*>/gi;
const HTML_ALT = /\balt\s*=\s*("[^"]*"|'[^']*')/i;

function unwrap(target: string): string {
  const bare = target.startsWith('<') && target.endsWith('>') ? target.slice(1, -1) : target;
  const unescaped = bare.replace(/\\([()<>\\ ])/g, '$1');
  // A URL stays as written (it is requested or matched as is); a path is decoded into a file name.
  if (!isLocalTarget(unescaped)) return unescaped;
  try {
    return decodeURI(unescaped);
  } catch {
    return unescaped;
  }
}

const unquote = (v: string): string => (/^["']/.test(v) ? v.slice(1, -1) : v);

/** Every image link in the text, in order; links inside fenced code blocks are skipped. */
export function findImageLinks(text: string): ImageLink[] {
  const fenced = fencedRanges(text);
  const inFence = (at: number): boolean => fenced.some(([s, e]) => at >= s && at < e);
  const links: ImageLink[] = [];
  for (const m of text.matchAll(MARKDOWN)) {
    if (inFence(m.index)) continue;
    links.push({
      start: m.index,
      end: m.index + m[0].length,
      alt: m[1].replace(/\\([\\[\]])/g, '$1'),
      target: unwrap(m[2]),
    });
  }
  for (const m of text.matchAll(HTML)) {
    if (inFence(m.index)) continue;
    const alt = HTML_ALT.exec(m[0]);
    links.push({
      start: m.index,
      end: m.index + m[0].length,
      alt: alt ? unquote(alt[1]) : '',
      target: unwrap(unquote(m[1])),
    });
  }
  return links.sort((a, b) => a.start - b.start);
}

/** The link that contains the offset (the cursor), if any. */
export function imageLinkAt(text: string, offset: number): ImageLink | undefined {
  return findImageLinks(text).find((l) => offset >= l.start && offset <= l.end);
}

/** Remote or data targets are not files the editor can edit in place. */
export function isLocalTarget(target: string): boolean {
  // A scheme has two characters at least, so `c:/images/a.png` is a (Windows) path.
  return target !== '' && !/^[a-z][a-z0-9+.-]+:/i.test(target) && !target.startsWith('//');
}

function fencedRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let open: { at: number; marker: string } | undefined;
  let at = 0;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!open && m) open = { at, marker: m[1] };
    else if (
      open &&
      m &&
      m[1][0] === open.marker[0] &&
      m[1].length >= open.marker.length &&
      !/\S/.test(line.slice(m[0].length))
    ) {
      ranges.push([open.at, at + line.length]);
      open = undefined;
    }
    at += line.length + 1;
  }
  if (open) ranges.push([open.at, text.length]);
  return ranges;
}

/** `<name>-edit-<yyyyMMdd-HHmmss>.<ext>`: an edit's file name beside its source (PRODUCT.md §11). */
export function editFileName(sourceName: string, date: Date, ext = 'png'): string {
  const dot = sourceName.lastIndexOf('.');
  let base = dot > 0 ? sourceName.slice(0, dot) : sourceName;
  // An edit of an edit does not grow a chain of suffixes: `a-edit-<t1>` → `a-edit-<t2>`.
  base = base.replace(/-edit-\d{8}-\d{6}(?:-\d+)?$/, '');
  return sanitizeFileName(`${base || 'image'}-edit-${fileTimestamp(date)}.${ext.replace(/^\.+/, '')}`);
}

/**
 * Plain text as Markdown that renders as that text and wraps like prose. (VS Code's
 * `MarkdownString.appendText` turns every space into `&nbsp;`: a long prompt in a hover then only
 * breaks at hyphens, "high-" / "quality image of…", or runs off the side.)
 */
export function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_{}[\]()#+\-.!>|~]/g, '\\$&');
}
