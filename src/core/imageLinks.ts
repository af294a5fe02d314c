// Finds the Markdown image link under a cursor, for the hover preview (PRODUCT.md §15).

export interface ImageLinkAt {
  alt: string;
  /** The link target as written, with `<…>` removed and `%xx` escapes left as they are. */
  target: string;
  /** Columns of the whole `![…](…)` in its line. */
  start: number;
  end: number;
}

const IMAGE_LINK =
  /!\[((?:\\.|[^\\\]])*)\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;

/** The image link of `line` that `column` is in (or touches), if any. */
export function imageLinkAt(line: string, column: number): ImageLinkAt | undefined {
  for (const m of line.matchAll(IMAGE_LINK)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (column < start || column > end) continue;
    const raw = m[2];
    const target = raw.startsWith('<') ? raw.slice(1, -1) : raw;
    return { alt: m[1].replace(/\\(.)/g, '$1'), target, start, end };
  }
  return undefined;
}

/** Whether a link target is a URL (with a scheme) rather than a path. */
export function isUrlTarget(target: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(target);
}
