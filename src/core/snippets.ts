// The text inserted for an image, in the syntax of the document's language, with every escape it needs.

export type SnippetLanguage = 'markdown' | 'html' | 'asciidoc' | 'restructuredtext' | 'latex';

const LANGUAGE_BY_ID: Readonly<Record<string, SnippetLanguage>> = Object.freeze({
  markdown: 'markdown',
  mdx: 'markdown',
  quarto: 'markdown',
  rmd: 'markdown',
  rmarkdown: 'markdown',
  html: 'html',
  xhtml: 'html',
  vue: 'html',
  'vue-html': 'html',
  svelte: 'html',
  astro: 'html',
  php: 'html',
  handlebars: 'html',
  'django-html': 'html',
  'jinja-html': 'html',
  razor: 'html',
  aspnetcorerazor: 'html',
  asciidoc: 'asciidoc',
  adoc: 'asciidoc',
  restructuredtext: 'restructuredtext',
  rst: 'restructuredtext',
  latex: 'latex',
  tex: 'latex',
  doctex: 'latex',
  rsweave: 'latex',
  context: 'latex',
});

/** The snippet syntax for a VS Code language id; Markdown for anything unknown. */
export function snippetLanguage(languageId: string): SnippetLanguage {
  const key = languageId.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(LANGUAGE_BY_ID, key) ? LANGUAGE_BY_ID[key] : 'markdown';
}

/** A URL with a scheme (two letters at least, so `c:/x` stays a path). */
function isUrl(target: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(target);
}

/** A file path's `%`, `#` and `?` would be read as escape, fragment and query once it is a link. */
function encodePathSpecials(target: string): string {
  return isUrl(target) ? target : target.replace(/[%#?]/g, (c) => encodeURIComponent(c));
}

/** Line breaks (and the blanks around them) become one space. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}

function markdownTarget(target: string): string {
  const encoded = encodePathSpecials(target)
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => encodeURIComponent(c));
  // CommonMark: a destination with blanks or parentheses is only safe between angle brackets.
  return /[\s()]/.test(encoded) || encoded === '' ? `<${encoded}>` : encoded;
}

function markdownAlt(alt: string): string {
  return oneLine(alt).replace(/[\\[\]]/g, '\\$&');
}

function htmlAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function asciidocTarget(target: string): string {
  // The block macro's target ends at the first `[`: brackets must not appear in it.
  return encodePathSpecials(target)
    .replace(/\[/g, '%5B')
    .replace(/\]/g, '%5D')
    .replace(/[\r\n]/g, '');
}

function asciidocAlt(alt: string): string {
  const text = oneLine(alt);
  // Commas would start the next positional attribute (width), `=` a named one, `]` the macro's end.
  if (!/[,\]"'=]/.test(text)) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function rstTarget(target: string): string {
  // docutils strips unescaped white space from a URI argument and unescapes backslashes.
  return target.replace(/\\/g, '\\\\').replace(/\s/g, (c) => `\\${c === '\n' || c === '\r' ? ' ' : c}`);
}

/** A local path LaTeX cannot load: `%` starts a comment, `#` is a parameter, `\\` a control sequence. */
export function latexUnsafePath(target: string): boolean {
  return !isRemoteUrl(target) && /[%#\\{}]/.test(target);
}

function isRemoteUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

/** A URL inside `\\url{}`: `%`, `#` and `\\` escaped; braces and line breaks cannot appear. */
function latexUrl(url: string): string {
  return url
    .replace(/[\r\n]/g, '')
    .replace(/[\\{}]/g, (c) => encodeURIComponent(c))
    .replace(/[%#]/g, (c) => `\\${c}`);
}

function latexTarget(target: string): string {
  // Anything beyond plain ASCII path characters (spaces, `_`, `~`, non-ASCII) goes through
  // \detokenize, which the graphicx of LaTeX 2019+ reads verbatim. `%`, `#` and unbalanced braces
  // cannot be expressed in a LaTeX file name at all; they are left as they are.
  return /^[A-Za-z0-9./:+-]*$/.test(target) ? target : `\\detokenize{${target}}`;
}

/**
 * The snippet for one image.
 * - markdown: `![alt](target)`; target in `<…>` when it has blanks or parentheses, `<`/`>` (and in
 *   file paths `%`, `#`, `?`) percent-encoded; alt `\`, `[`, `]` escaped, line breaks collapsed.
 * - html: `<img src="…" alt="…">`, both attribute-escaped.
 * - asciidoc: `image::target[alt]`; alt double-quoted when it has `,`, `]`, `"`, `'` or `=`.
 * - restructuredtext: `.. image:: target` and `   :alt: alt` on the next line (omitted when empty);
 *   blanks in the target backslash-escaped.
 * - latex: `\includegraphics{target}`, with `\detokenize{…}` around unusual targets; a remote URL
 *   becomes a comment line plus `\url{…}` with `%` and `#` escaped (see `latexUnsafePath`).
 */
export function buildSnippet(language: SnippetLanguage, target: string, alt: string): string {
  switch (language) {
    case 'html':
      return `<img src="${htmlAttribute(encodePathSpecials(target).replace(/[\r\n]/g, ''))}" alt="${htmlAttribute(oneLine(alt))}">`;
    case 'asciidoc':
      return `image::${asciidocTarget(target)}[${asciidocAlt(alt)}]`;
    case 'restructuredtext': {
      const text = oneLine(alt);
      const directive = `.. image:: ${rstTarget(target)}`;
      return text ? `${directive}\n   :alt: ${text}` : directive;
    }
    case 'latex': {
      const clean = target.replace(/[\r\n]/g, '');
      // \\includegraphics cannot load a URL: a comment says so, and the URL stays usable as \\url{}.
      if (isRemoteUrl(clean))
        return `% \\includegraphics needs a local file: download this image (Image Gen)\n\\url{${latexUrl(clean)}}`;
      return `\\includegraphics{${latexTarget(clean)}}`;
    }
    case 'markdown':
    default:
      return `![${markdownAlt(alt)}](${markdownTarget(target)})`;
  }
}

/** Alt text from a prompt: white space collapsed, at most `max` code points (no split surrogate pair), trimmed. */
export function altTextFromPrompt(prompt: string, max = 100): string {
  const collapsed = prompt.replace(/\s+/g, ' ').trim();
  return Array.from(collapsed)
    .slice(0, Math.max(0, Math.floor(max)))
    .join('')
    .trim();
}
