// Which images Illustrate Document proposes, and their prompts: one per heading of a level, an
// optional cover under the title, a prompt drafted locally from the heading and its first
// paragraph, and the shared style suffix. Pure, so it is unit-tested in English and Chinese.
import { outline, type OutlineSection } from './outline';

export interface Proposal {
  kind: 'cover' | 'section';
  /** 0-based line of the heading. */
  line: number;
  /** 0-based last line of the heading (setext underline). */
  endLine: number;
  level: number;
  heading: string;
  /** The drafted prompt, without the style suffix. */
  prompt: string;
  /** The heading's first paragraph (plain text), for a chat model to draft from. */
  paragraph: string;
}

/** Longest drafted prompt, in characters: image models read the start of a prompt most. */
export const MAX_DRAFT_CHARS = 300;

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

/** Mostly Chinese, Japanese or Korean text: joined with full-width punctuation. */
export function isCjk(text: string): boolean {
  const letters = text.replace(/[\s\p{P}\p{S}\d]/gu, '');
  if (!letters) return false;
  return (letters.match(CJK)?.length ?? 0) * 2 >= letters.length;
}

/** "1.", "1.2", "Chapter 3:", "第三章", "一、" numbering says nothing about the picture. */
export function stripNumbering(heading: string): string {
  return heading
    .replace(/^\s*(\d+[.)]?)+\s+/, '')
    .replace(/^\s*(chapter|part|section|step)\s+\d+\s*[:.\-–—]\s*/i, '')
    .replace(/^\s*第[一二三四五六七八九十百\d]+[章节部分步篇]\s*[：:、.\s]?\s*/, '')
    .replace(/^\s*[一二三四五六七八九十]+\s*[、.．]\s*/, '')
    .trim();
}

/** The first sentences of a paragraph, cut at a sentence end (or a word) within `max` characters. */
export function leadingSentences(paragraph: string, max: number): string {
  const text = paragraph.trim();
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const ends = [...head.matchAll(/[.!?](?=\s)|[。！？]/g)];
  const last = ends.length ? ends[ends.length - 1] : undefined;
  if (last?.index !== undefined && last.index >= max / 3) return head.slice(0, last.index + 1).trim();
  const space = head.lastIndexOf(' ');
  return (space > max / 2 ? head.slice(0, space) : head).replace(/[,;:，；：、\s]+$/, '').trim() + '…';
}

/** A prompt for one section: its subject (the heading) and what the section says first. */
export function draftPrompt(heading: string, paragraph: string): string {
  const subject = stripNumbering(heading) || heading.trim();
  const cjk = isCjk(`${subject}${paragraph}`);
  const room = MAX_DRAFT_CHARS - subject.length - 2;
  const detail = room > 20 ? leadingSentences(paragraph, room) : '';
  if (!detail) return subject;
  return cjk ? `${subject}：${detail}` : `${subject}: ${detail}`;
}

/** The prompt as sent: the style suffix appended once, with the punctuation of the prompt's language. */
export function withStyle(prompt: string, style: string): string {
  const p = prompt.trim();
  const s = style.trim().replace(/^[,，;；]\s*/, '');
  if (!s || p.endsWith(s)) return p;
  if (!p) return s;
  const cjk = isCjk(p);
  const trimmed = p.replace(/[.。,，;；\s]+$/, '');
  return cjk ? `${trimmed}，${s}` : `${trimmed}, ${s}`;
}

export interface ProposeOptions {
  /** Heading level of the sections (1–6). */
  level: number;
  /** Also propose a cover image under the document's title. */
  cover: boolean;
}

/** The document's title: its first level-1 heading, when it comes before any other heading. */
export function titleOf(sections: readonly OutlineSection[]): OutlineSection | undefined {
  const first = sections[0];
  return first && first.level === 1 ? first : undefined;
}

/**
 * The level to use when the configured one has no headings: the shallowest level below the title
 * that has some (a document of `###` sections still gets proposals).
 */
export function effectiveLevel(sections: readonly OutlineSection[], configured: number): number {
  const title = titleOf(sections);
  const candidates = sections.filter((s) => s !== title && s.text);
  if (candidates.some((s) => s.level === configured)) return configured;
  const levels = candidates.map((s) => s.level).sort((a, b) => a - b);
  return levels[0] ?? configured;
}

function proposalOf(kind: Proposal['kind'], s: OutlineSection): Proposal {
  return {
    kind,
    line: s.line,
    endLine: s.endLine,
    level: s.level,
    heading: s.text,
    prompt: draftPrompt(s.text, s.paragraph),
    paragraph: s.paragraph,
  };
}

/** One proposal per non-empty heading of the level, after an optional cover under the title. */
export function proposeIllustrations(text: string, options: ProposeOptions): Proposal[] {
  const sections = outline(text);
  const title = titleOf(sections);
  const proposals: Proposal[] = [];
  if (options.cover && title?.text) proposals.push(proposalOf('cover', title));
  for (const s of sections) {
    if (s === title && options.cover) continue;
    if (s.level === options.level && s.text) proposals.push(proposalOf('section', s));
  }
  return proposals;
}

/** Every heading as a possible proposal (for "add an image under another heading"). */
export function allHeadings(text: string): Proposal[] {
  const sections = outline(text);
  const title = titleOf(sections);
  return sections.filter((s) => s.text).map((s) => proposalOf(s === title ? 'cover' : 'section', s));
}
