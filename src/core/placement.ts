// Where an inserted image lands in a document's text (PRODUCT.md §15): pure, so every entry point
// (selection, palette, panel, gallery, agents) places it the same way.
import type { Anchor } from './anchor';
import type { SelectionBehavior } from './settings';
import type { SnippetLanguage } from './snippets';

/** `paragraph`: blank line before and after (Markdown, MDX, AsciiDoc, rST); `line`: a line of its own (HTML, LaTeX). */
export type PlacementStyle = 'paragraph' | 'line';

export function placementStyle(language: SnippetLanguage): PlacementStyle {
  return language === 'html' || language === 'latex' ? 'line' : 'paragraph';
}

/** One text edit in offsets of the text before it: replace `[start, end)` with `text`. */
export interface PlannedEdit {
  start: number;
  end: number;
  text: string;
  /** Where the snippets themselves sit inside `text` (the rest is blank lines around them). */
  bodyStart: number;
  bodyEnd: number;
}

export interface PlacementRequest {
  /** The selection (or cursor, start = end) the insert is relative to, in offsets. */
  start: number;
  end: number;
  /** Replace the selection instead of inserting after it (`imageGen.selectionBehavior: replace`). */
  replace?: boolean;
  style: PlacementStyle;
}

interface Line {
  start: number;
  /** End of the content, before the line break. */
  end: number;
  /** Start of the next line (end + length of the line break; = end on the last line). */
  next: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ start, end: m.index, next: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length, next: text.length });
  return lines;
}

/** The document's own line break: the first one it uses, `\n` when it has none. */
export function lineBreakOf(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

function lineIndexAt(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}#{1,6}(\s|$)/;

/** For each line, whether it is inside (or is a fence of) a fenced code block. */
function fencedLines(text: string, lines: readonly Line[]): { inFence: boolean[]; closing: number[] } {
  const inFence: boolean[] = new Array<boolean>(lines.length).fill(false);
  const closing: number[] = new Array<number>(lines.length).fill(-1);
  let open: { marker: string; from: number } | undefined;
  lines.forEach((line, i) => {
    const m = FENCE.exec(text.slice(line.start, line.end));
    if (!open) {
      if (m) open = { marker: m[1], from: i };
      if (open) inFence[i] = true;
      return;
    }
    inFence[i] = true;
    if (m && m[1][0] === open.marker[0] && m[1].length >= open.marker.length) {
      for (let j = open.from; j <= i; j++) closing[j] = i;
      open = undefined;
    }
  });
  // An unclosed fence runs to the end of the document.
  if (open) {
    let last = lines.length - 1;
    while (last > open.from && text.slice(lines[last].start, lines[last].end).trim() === '') last--;
    for (let j = open.from; j < lines.length; j++) closing[j] = last;
  }
  return { inFence, closing };
}

/**
 * Plans the edit that puts `snippets` into `text` per PRODUCT.md §15:
 * - paragraph style: the image is a paragraph of its own. On a blank line it goes there, keeping a
 *   blank line before and after; inside a line it goes after the end of that paragraph (a heading
 *   is a paragraph of one line; a fenced code block is never split); below a selection it goes
 *   after the selection's last line.
 * - line style: on a line of its own (a blank line is filled, else after the line).
 * Several snippets are separate paragraphs (lines). The document's line breaks are kept.
 */
export function planInsertion(text: string, snippets: readonly string[], req: PlacementRequest): PlannedEdit {
  const eol = lineBreakOf(text);
  const paragraph = req.style === 'paragraph';
  const body = snippets.join(paragraph ? eol + eol : eol);

  if (req.replace && req.end > req.start) {
    // The selection goes; the image takes its place, still framed as its own paragraph or line.
    const rest = text.slice(0, req.start) + text.slice(req.end);
    const inner = planAt(rest, body, req.start, req.start, false, req.style, eol);
    const start = Math.min(inner.start, req.start);
    const end = Math.max(inner.end, req.start) + (req.end - req.start);
    const before = rest.slice(start, inner.start);
    const after = rest.slice(inner.end, Math.max(inner.end, req.start));
    const replaced = before + inner.text + after;
    const shift = before.length;
    return {
      start,
      end,
      text: replaced,
      bodyStart: inner.bodyStart + shift,
      bodyEnd: inner.bodyEnd + shift,
    };
  }
  return planAt(text, body, req.start, req.end, req.end > req.start, req.style, eol);
}

/** Where a generation started, as it is now: the tracked selection (or cursor) and its text then. */
export interface AnchoredTarget {
  anchor: Anchor;
  /** The selected text when the generation started; empty for a bare cursor. */
  selectedText: string;
  behavior: SelectionBehavior;
  style: PlacementStyle;
}

/**
 * The edit that puts `snippets` at a tracked target. The selection is replaced only when
 * `behavior` says so and it still holds the text it held when the generation started.
 */
export function planAtTarget(text: string, snippets: readonly string[], target: AnchoredTarget): PlannedEdit {
  const { start, end } = target.anchor;
  const replace =
    target.behavior === 'replace' && !!target.selectedText && text.slice(start, end) === target.selectedText;
  return planInsertion(text, snippets, {
    start,
    end: target.selectedText ? end : start,
    replace,
    style: target.style,
  });
}

/**
 * The line (0-based) where an image for `target` would land: the line that becomes the image's
 * own, or the blank line it will sit in front of, or the line it follows when there is none.
 * The placeholder shown while a generation runs marks that line.
 */
export function landingLine(text: string, target: AnchoredTarget): number {
  const planned = planAtTarget(text, ['\u2026'], target);
  const lines = splitLines(text);
  const line = lineIndexAt(lines, planned.start);
  const startsBelow = /\r\n|\r|\n/.test(planned.text.slice(0, planned.bodyStart));
  const next = line + 1;
  if (startsBelow && next < lines.length && text.slice(lines[next].start, lines[next].end).trim() === '')
    return next;
  return line;
}

function planAt(
  text: string,
  body: string,
  start: number,
  end: number,
  hasSelection: boolean,
  style: PlacementStyle,
  eol: string,
): PlannedEdit {
  const lines = splitLines(text);
  const lineText = (i: number) => text.slice(lines[i].start, lines[i].end);
  const blank = (i: number) => lineText(i).trim() === '';
  const startLine = lineIndexAt(lines, start);
  let line = lineIndexAt(lines, end);
  if (hasSelection) {
    // A selection of whole lines ends at the start of the next line: its last line is the one above.
    if (line > startLine && end === lines[line].start) line--;
    while (line > startLine && blank(line)) line--;
  }
  const edit = (from: number, to: number, before: string, after: string): PlannedEdit => ({
    start: from,
    end: to,
    text: before + body + after,
    bodyStart: before.length,
    bodyEnd: before.length + body.length,
  });
  const isLast = (i: number) => i === lines.length - 1;

  if (blank(line)) {
    // The blank line becomes the image's line; blank lines are added only where text would touch it.
    const { start: from, end: to } = lines[line];
    if (style === 'line') return edit(from, to, '', isLast(line) && text.length > 0 ? eol : '');
    const before = line > 0 && !blank(line - 1) ? eol : '';
    const after = isLast(line) ? (text.length > 0 ? eol : '') : !blank(line + 1) ? eol : '';
    return edit(from, to, before, after);
  }

  if (style === 'line') return edit(lines[line].end, lines[line].end, eol, '');

  // Paragraph style, on a line with text: after the last line of its paragraph.
  let last = line;
  const { inFence, closing } = fencedLines(text, lines);
  if (inFence[line]) last = closing[line];
  else if (!hasSelection && !ATX_HEADING.test(lineText(line))) {
    while (!isLast(last) && !blank(last + 1) && !ATX_HEADING.test(lineText(last + 1)) && !inFence[last + 1])
      last++;
  }
  const at = lines[last].end;
  return edit(at, at, eol + eol, !isLast(last) && !blank(last + 1) ? eol : '');
}

/**
 * Where an offset of the text before `edit` is after it. A position at the edit's start stays
 * there (the cursor is not moved into the inserted link); one inside a replaced range goes to its
 * start; one after it moves with the text.
 */
export function mapOffsetThroughEdit(
  offset: number,
  edit: { start: number; end: number; text: string },
): number {
  if (offset <= edit.start) return offset;
  if (offset >= edit.end && edit.end > edit.start) return offset + edit.text.length - (edit.end - edit.start);
  if (edit.end === edit.start) return offset + edit.text.length;
  return edit.start;
}

/**
 * A selection (`anchor`, `active` offsets) as it is after `edit`, never grown over the inserted
 * text. A selection of whole lines ends at the start of the next line, past the end of the line
 * the image follows: offset by offset it would swallow the image. It keeps what it held before the
 * insertion point instead; one that starts at a bare insertion point moves on with its text.
 */
export function mapSelectionThroughEdit(
  anchor: number,
  active: number,
  edit: { start: number; end: number; text: string },
): [number, number] {
  const lo = Math.min(anchor, active);
  const hi = Math.max(anchor, active);
  let from = mapOffsetThroughEdit(lo, edit);
  let to = mapOffsetThroughEdit(hi, edit);
  if (lo < hi && edit.text.length > 0) {
    if (lo === edit.start && edit.end === edit.start) from += edit.text.length;
    else if (from <= edit.start && to >= edit.start + edit.text.length) to = edit.start;
  }
  return anchor <= active ? [from, to] : [to, from];
}
