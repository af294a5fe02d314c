// Where a saved image goes: the `imageGen.destination` template, with the variables of
// `markdown.copyFiles.destination`, resolved and confined to the workspace (or document) folder.
import { sanitizeFileName } from './fileNames';
import {
  basename,
  dirname,
  extname,
  isInside,
  joinPath,
  normalizePath,
  relativeLink,
  toPosixPath,
} from './paths';
import type { Result } from './types';
import { err, ok } from './types';

export interface DestinationContext {
  /** POSIX path of the document, e.g. `Uri.path`. */
  documentPath: string;
  /** POSIX path of its workspace folder. */
  workspaceFolderPath?: string;
  /** The image's file name, e.g. `a-cat-20261125-101010.png`. */
  fileName: string;
  now: Date;
}

export type DestinationProblem = 'escapes' | 'empty';

interface Token {
  text: string;
  /** Text of a path-valued variable: real folder names, taken verbatim. */
  path: boolean;
  /** Text of a single-value variable: never a separator, never `.`/`..`. */
  value: boolean;
}

interface Segment {
  text: string;
  /** Every character came from a path-valued variable. */
  pathOnly: boolean;
  /** Some character came from a single-value variable. */
  hasValue: boolean;
}

function variables(
  ctx: DestinationContext,
  documentPath: string,
  container: string,
): Map<string, { text: string; path: boolean }> {
  const documentDir = dirname(documentPath);
  const documentFileName = basename(documentPath);
  const documentExt = extname(documentFileName);
  const relativeDir = relativeLink(container, documentDir);
  const relativeFile = relativeLink(container, documentPath);
  return new Map([
    ['documentDirName', { text: documentDir, path: true }],
    ['documentWorkspaceFolder', { text: container, path: true }],
    ['documentRelativeDirName', { text: relativeDir === '.' ? '' : relativeDir, path: true }],
    ['documentFilePath', { text: documentPath, path: true }],
    ['documentRelativeFilePath', { text: relativeFile, path: true }],
    ['documentFileName', { text: documentFileName, path: false }],
    [
      'documentBaseName',
      { text: documentFileName.slice(0, documentFileName.length - documentExt.length), path: false },
    ],
    ['documentExtName', { text: documentExt.replace(/^\./, ''), path: false }],
    ['fileName', { text: ctx.fileName, path: false }],
    ['fileExtName', { text: extname(ctx.fileName).replace(/^\./, ''), path: false }],
    ['unixTime', { text: String(ctx.now.getTime()), path: false }],
    ['isoTime', { text: ctx.now.toISOString().replace(/:/g, '-'), path: false }],
  ]);
}

function tokenize(template: string, vars: ReturnType<typeof variables>): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of template.matchAll(/\$\{(\w+)\}/g)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ text: template.slice(last, index), path: false, value: false });
    const variable = vars.get(match[1]);
    if (variable === undefined) {
      // Unknown: kept as written (and sanitized like any other text).
      tokens.push({ text: match[0], path: false, value: false });
    } else if (variable.path) {
      tokens.push({ text: variable.text, path: true, value: false });
    } else {
      // A value is one name: separators in it are not separators.
      tokens.push({ text: variable.text.replace(/[/\\]/g, ''), path: false, value: true });
    }
    last = index + match[0].length;
  }
  if (last < template.length) tokens.push({ text: template.slice(last), path: false, value: false });
  return tokens;
}

/**
 * The absolute POSIX path of the file to write, from a destination template:
 * - variables `${documentDirName}`, `${documentWorkspaceFolder}`, `${documentRelativeDirName}`,
 *   `${documentFilePath}`, `${documentRelativeFilePath}` (paths), `${documentFileName}`,
 *   `${documentBaseName}`, `${documentExtName}`, `${fileName}`, `${fileExtName}` (without dot),
 *   `${unixTime}` (milliseconds, as in the markdown extension), `${isoTime}` (`:` → `-`); unknown
 *   ones stay as written. The markdown extension's `${name/regex/replacement/}` form is not supported.
 * - Backslashes are separators. A leading `/` is the workspace folder's root (the document's folder
 *   without one); `C:/…` or a path variable at the start of a segment is absolute; anything else is
 *   relative to the document's folder. A template ending in `/`, `.`, `..` or a folder variable names
 *   a folder and gets `${fileName}` appended.
 * - Every segment is cleaned like a file name (`.`/`..` written in the template excepted; text of path
 *   variables is taken verbatim), then `.`/`..` are resolved.
 * - The result must lie inside the workspace folder (or, without one, the document's folder):
 *   otherwise 'escapes'. A blank template or an empty file name is 'empty'.
 */
export function resolveDestination(
  template: string,
  ctx: DestinationContext,
): Result<string, DestinationProblem> {
  const documentPath = normalizePath(ctx.documentPath);
  const documentDir = dirname(documentPath);
  const container = ctx.workspaceFolderPath ? normalizePath(ctx.workspaceFolderPath) : documentDir;

  let text = template.replace(/\\/g, '/').trim();
  if (text === '') return err('empty');
  let base = documentDir;
  if (/^[A-Za-z]:(?:\/|$)/.test(text)) {
    base = toPosixPath(text.slice(0, 2));
    text = text.slice(2);
  } else if (text.startsWith('/')) {
    base = container;
  }
  text = text.replace(/^\/+/, '');
  const namesFolder =
    text === '' ||
    /(?:^|\/)\.{0,2}$/.test(text) ||
    /\$\{(?:documentDirName|documentWorkspaceFolder|documentRelativeDirName)\}$/.test(text);
  if (namesFolder) text += `${text === '' || text.endsWith('/') ? '' : '/'}\${fileName}`;

  const segments: Segment[] = [];
  let current: Segment = { text: '', pathOnly: true, hasValue: false };
  const close = (): void => {
    segments.push(current);
    current = { text: '', pathOnly: true, hasValue: false };
  };
  const append = (piece: string, token: Token): void => {
    if (piece === '') return;
    current.text += piece;
    if (!token.path) current.pathOnly = false;
    if (token.value) current.hasValue = true;
  };

  for (const token of tokenize(text, variables(ctx, documentPath, container))) {
    if (token.path && current.text === '' && /^\/|^[A-Za-z]:\//.test(token.text)) {
      // An absolute folder at the start of a segment replaces everything before it.
      const absolute = normalizePath(token.text);
      base = dirname(absolute);
      segments.length = 0;
      append(basename(absolute), token);
      continue;
    }
    const pieces = token.value ? [token.text] : token.text.split('/');
    pieces.forEach((piece, i) => {
      if (i > 0) close();
      append(piece, token);
    });
  }
  close();

  const last = segments[segments.length - 1];
  if (!last || last.text === '') return err('empty');

  const cleaned: string[] = [];
  for (const segment of segments) {
    if (segment.text === '') continue;
    if (segment.pathOnly) cleaned.push(segment.text);
    else if (!segment.hasValue && (segment.text === '.' || segment.text === '..')) cleaned.push(segment.text);
    else cleaned.push(sanitizeFileName(segment.text));
  }

  const resolved = joinPath(base, ...cleaned);
  if (!isInside(container, resolved)) {
    return err(isInside(container, resolved, true) ? 'empty' : 'escapes');
  }
  return ok(resolved);
}
