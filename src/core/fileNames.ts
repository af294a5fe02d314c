// File names for saved images: `<prompt-slug>-<yyyyMMdd-HHmmss>[-N].<ext>`, safe on every OS.

const FALLBACK_NAME = 'image';
export const MAX_FILE_NAME_LENGTH = 120;
/** ext4/APFS allow 255 bytes per name; leave room for a `-N` suffix. */
export const MAX_FILE_NAME_BYTES = 240;

/** Grapheme clusters where the runtime can segment them, else code points. */
function clusters(text: string): string[] {
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (typeof Segmenter === 'function') {
    return Array.from(new Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
  }
  return Array.from(text);
}

/** The longest prefix of whole clusters within `maxCodePoints` code points and `maxBytes` UTF-8 bytes. */
function truncate(text: string, maxCodePoints: number, maxBytes = Number.POSITIVE_INFINITY): string {
  let out = '';
  let codePoints = 0;
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const cluster of clusters(text)) {
    const clusterCodePoints = Array.from(cluster).length;
    const clusterBytes = encoder.encode(cluster).length;
    if (codePoints + clusterCodePoints > maxCodePoints || bytes + clusterBytes > maxBytes) break;
    out += cluster;
    codePoints += clusterCodePoints;
    bytes += clusterBytes;
  }
  return out;
}

/**
 * Lower-case slug of a prompt: Unicode letters, decimal digits and their combining marks are kept
 * (CJK stays, full-width Latin becomes ASCII), apostrophes vanish, everything else (emoji,
 * punctuation, spaces) becomes one `-`. At most `maxLength` code points, never split inside a
 * character; `image` when nothing is left.
 */
export function promptSlug(prompt: string, maxLength = 48): string {
  const limit = Math.max(1, Math.floor(maxLength));
  const slug = prompt
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/g, '')
    // Variation selectors are marks too, but belong to emoji.
    .replace(/[\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]/g, '-')
    .replace(/[^\p{L}\p{Nd}\p{Mn}\p{Mc}]+/gu, '-')
    // A mark left without its letter (its base was an emoji or symbol).
    .replace(/(^|-)[\p{Mn}\p{Mc}]+/gu, '$1')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const bounded = truncate(slug, limit).replace(/-+$/, '');
  return bounded || FALLBACK_NAME;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `yyyyMMdd-HHmmss` in local time. */
export function fileTimestamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** `<slug>-<timestamp>.<ext>`; `ext` may come with or without its dot. */
export function imageFileName(prompt: string, date: Date, ext: string): string {
  const cleanExt = ext.replace(/^\.+/, '').toLowerCase();
  const base = `${promptSlug(prompt)}-${fileTimestamp(date)}`;
  return cleanExt ? `${base}.${cleanExt}` : base;
}

function splitExtension(name: string): { base: string; ext: string } {
  const index = name.lastIndexOf('.');
  if (index <= 0) return { base: name, ext: '' };
  return { base: name.slice(0, index), ext: name.slice(index) };
}

/** `name.png` → `name-N.png` for N ≥ 1 (the markdown extension's collision scheme); 0 → unchanged. */
export function numberedFileName(fileName: string, n: number): string {
  if (!(n >= 1)) return fileName;
  const { base, ext } = splitExtension(fileName);
  return `${base}-${Math.floor(n)}${ext}`;
}

const RESERVED_WINDOWS_NAMES = /^(?:con|prn|aux|nul|conin\$|conout\$|com[1-9¹²³]|lpt[1-9¹²³])$/i;

function stripTrailingDotsAndSpaces(text: string): string {
  return text.replace(/[. ]+$/, '');
}

/**
 * A name that every file system accepts: control and bidi-override characters and `<>:"/\|?*`
 * are removed, leading white space and trailing dots/spaces trimmed, Windows device names
 * (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also with an extension) get a `_` suffix, and the name is
 * cut to 120 code points / 240 UTF-8 bytes keeping its extension. Never empty (`image`).
 */
export function sanitizeFileName(name: string): string {
  let clean = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069<>:"/\\|?*]/g, '')
    .replace(/^\s+/, '');
  clean = stripTrailingDotsAndSpaces(clean);
  if (clean === '' || clean === '.' || clean === '..') return FALLBACK_NAME;

  let { base, ext } = splitExtension(clean);
  if (ext.length > 17) {
    // Not an extension but a sentence with a dot in it.
    base = clean;
    ext = '';
  }
  if (RESERVED_WINDOWS_NAMES.test(stripTrailingDotsAndSpaces(base.split('.')[0]))) {
    const first = base.split('.')[0];
    base = `${stripTrailingDotsAndSpaces(first)}_${base.slice(first.length)}`;
  }
  const extCodePoints = Array.from(ext).length;
  const extBytes = new TextEncoder().encode(ext).length;
  const room = MAX_FILE_NAME_LENGTH - extCodePoints;
  const roomBytes = MAX_FILE_NAME_BYTES - extBytes;
  if (Array.from(base).length > room || new TextEncoder().encode(base).length > roomBytes) {
    base = stripTrailingDotsAndSpaces(truncate(base, room, roomBytes));
  }
  return base ? `${base}${ext}` : `${FALLBACK_NAME}${ext}`;
}
