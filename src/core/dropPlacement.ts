// Where an image dropped into a document goes (PRODUCT.md §15): in Markdown, MDX, AsciiDoc and
// reStructuredText a paragraph of its own; in HTML and LaTeX a line of its own. Pure.
import type { SnippetLanguage } from './snippets';

export interface DropPlacement {
  /** Replace this range (start line/character to end line/character) with `text`. */
  line: number;
  character: number;
  endCharacter: number;
  text: string;
}

export interface LineSource {
  lineCount: number;
  lineAt(line: number): string;
}

const isBlank = (s: string) => s.trim() === '';

export function usesParagraphs(language: SnippetLanguage): boolean {
  return language === 'markdown' || language === 'asciidoc' || language === 'restructuredtext';
}

/**
 * A drop on a blank line puts the snippet there, with blank lines kept or added around it; a drop
 * inside text puts it after the end of that paragraph (HTML, LaTeX: after that line).
 */
export function placeDrop(
  doc: LineSource,
  dropLine: number,
  snippet: string,
  paragraphs: boolean,
): DropPlacement {
  const last = Math.max(0, doc.lineCount - 1);
  const line = Math.min(Math.max(0, dropLine), last);
  const text = doc.lineAt(line);
  if (isBlank(text)) {
    const prevText = line > 0 && !isBlank(doc.lineAt(line - 1));
    const nextText = line < last && !isBlank(doc.lineAt(line + 1));
    const before = paragraphs && prevText ? '\n' : '';
    const after = paragraphs && nextText ? '\n' : '';
    return { line, character: 0, endCharacter: text.length, text: `${before}${snippet}${after}` };
  }
  let end = line;
  if (paragraphs) while (end < last && !isBlank(doc.lineAt(end + 1))) end++;
  const endText = doc.lineAt(end);
  return {
    line: end,
    character: endText.length,
    endCharacter: endText.length,
    text: `${paragraphs ? '\n\n' : '\n'}${snippet}`,
  };
}
