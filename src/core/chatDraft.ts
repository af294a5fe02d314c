// What Illustrate Document asks a VS Code chat model, and how its answer is read. Pure; the
// service that talks to `vscode.lm` only sends this text and hands the answer back.
import { isCjk, MAX_DRAFT_CHARS } from './illustration';

export interface DraftInput {
  heading: string;
  paragraph: string;
}

const MAX_PARAGRAPH_CHARS = 600;

/** One user message: the sections as numbered JSON, and the answer wanted as a JSON array of strings. */
export function chatDraftMessage(documentTitle: string, sections: readonly DraftInput[]): string {
  const chinese = isCjk(sections.map((s) => s.heading + s.paragraph).join(''));
  const items = sections.map((s, i) => ({
    n: i + 1,
    heading: s.heading,
    text: s.paragraph.slice(0, MAX_PARAGRAPH_CHARS),
  }));
  return [
    'You write prompts for a text-to-image model that illustrates an article, one image per section.',
    `Article: ${JSON.stringify(documentTitle)}.`,
    'For each section below, write one prompt that describes a single concrete picture (subject, setting, composition) that fits the section.',
    `No text or letters in the picture, no style words (a shared style is appended later), at most ${MAX_DRAFT_CHARS} characters each.`,
    chinese ? 'Write the prompts in Simplified Chinese, like the article.' : 'Write the prompts in English.',
    `Answer with only a JSON array of exactly ${sections.length} strings, in the same order, nothing else.`,
    '',
    JSON.stringify(items, null, 1),
  ].join('\n');
}

/** The prompts from the model's answer, or undefined when it is not `count` usable strings. */
export function parseChatDraft(answer: string, count: number): string[] | undefined {
  const start = answer.indexOf('[');
  const end = answer.lastIndexOf(']');
  if (start < 0 || end <= start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== count) return undefined;
  const prompts = parsed.map((p) => (typeof p === 'string' ? p.replace(/\s+/g, ' ').trim() : ''));
  if (prompts.some((p) => !p)) return undefined;
  return prompts.map((p) => (p.length > MAX_DRAFT_CHARS * 2 ? p.slice(0, MAX_DRAFT_CHARS * 2) : p));
}
