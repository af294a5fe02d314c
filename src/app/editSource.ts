// Where an edit starts: the image (a workspace file or a gallery item), and the link to it in a
// document when there is one (the link under the cursor, or the one a CodeLens sits on).
import * as vscode from 'vscode';
import { imageFileName } from '../core/fileNames';
import type { HistoryItem } from '../core/history';
import { findImageLinks, type ImageLink } from '../core/imageLinks';
import { sniffImageType } from '../core/imageType';
import { basename } from '../core/paths';
import type { HistoryStore } from '../services/historyStore';
import { resolveLinkTarget } from '../services/imageLinkLens';

export { resolveLinkTarget };

/** Formats `/images/edits` takes (OpenAI: png, jpeg, webp). */
const EDITABLE = new Set(['png', 'jpg', 'webp']);
/** OpenAI's limit per image file. */
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

export interface LinkInDocument {
  document: vscode.TextDocument;
  range: vscode.Range;
  text: string;
}

export interface EditSource {
  bytes: Uint8Array;
  fileName: string;
  /** The workspace file, when the image is one: the result goes beside it. */
  file?: vscode.Uri;
  item?: HistoryItem;
  link?: LinkInDocument;
}

/** Where a CodeLens found the link: the document and the link's start offset then. */
export interface LinkPosition {
  document: string;
  offset: number;
}

export type SourceProblem = 'notFound' | 'notImage' | 'tooLarge';

function rangeOf(document: vscode.TextDocument, link: ImageLink): LinkInDocument {
  const range = new vscode.Range(document.positionAt(link.start), document.positionAt(link.end));
  return { document, range, text: document.getText(range) };
}

/** The image link under the editor's cursor, with its file. */
export function linkUnderCursor(
  editor: vscode.TextEditor | undefined,
): { link: LinkInDocument; uri: vscode.Uri } | undefined {
  if (!editor) return undefined;
  const { document } = editor;
  const offset = document.offsetAt(editor.selection.active);
  const link = findImageLinks(document.getText()).find((l) => offset >= l.start && offset <= l.end);
  const uri = link && resolveLinkTarget(document.uri, link.target);
  return link && uri ? { link: rangeOf(document, link), uri } : undefined;
}

/** The link to `image` in the document named by a CodeLens, nearest to where the lens saw it. */
export async function linkAt(position: LinkPosition, image: vscode.Uri): Promise<LinkInDocument | undefined> {
  const uri = vscode.Uri.parse(position.document, true);
  const document =
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ??
    (await vscode.workspace.openTextDocument(uri));
  const same = findImageLinks(document.getText()).filter(
    (l) => resolveLinkTarget(document.uri, l.target)?.toString() === image.toString(),
  );
  same.sort((a, b) => Math.abs(a.start - position.offset) - Math.abs(b.start - position.offset));
  return same[0] && rangeOf(document, same[0]);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return Promise.resolve(vscode.workspace.fs.stat(uri)).then(
    () => true,
    () => false,
  );
}

/** The first workspace file an item was saved to that is still there. */
export async function savedFileOf(item: HistoryItem): Promise<vscode.Uri | undefined> {
  for (const saved of item.savedUris) {
    const uri = vscode.Uri.parse(saved);
    if (vscode.workspace.getWorkspaceFolder(uri) && (await exists(uri))) return uri;
  }
  return undefined;
}

async function readImage(uri: vscode.Uri): Promise<Uint8Array | SourceProblem> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_SOURCE_BYTES) return 'tooLarge';
    const bytes = await vscode.workspace.fs.readFile(uri);
    const type = sniffImageType(bytes);
    return type && EDITABLE.has(type.ext) ? bytes : 'notImage';
  } catch {
    return 'notFound';
  }
}

/** A file Uri (or path) or a gallery id, as the command's `image`, `mask` and `references` take them. */
export function uriOf(text: string): vscode.Uri | undefined {
  try {
    if (/^[a-z][a-z0-9+.-]+:/i.test(text)) return vscode.Uri.parse(text, true);
    if (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text)) return vscode.Uri.file(text);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    return root ? vscode.Uri.joinPath(root, text) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a file as an edit input (image, reference or mask). */
export async function readInput(
  uri: vscode.Uri,
): Promise<{ bytes: Uint8Array; fileName: string } | SourceProblem> {
  const bytes = await readImage(uri);
  return typeof bytes === 'string' ? bytes : { bytes, fileName: basename(uri.path) };
}

/** The source for a file Uri or a gallery id. */
export async function sourceFor(image: string, history: HistoryStore): Promise<EditSource | SourceProblem> {
  await history.ready();
  const item = history.get(image);
  if (item) {
    const file = await savedFileOf(item);
    const cached = history.cacheUri(item);
    const from = file ?? cached;
    if (!from) return 'notFound';
    const bytes = await readImage(from);
    if (typeof bytes === 'string') return bytes;
    const fileName = file
      ? basename(file.path)
      : imageFileName(item.prompt, new Date(item.createdAt), item.cacheFile?.split('.').pop() ?? 'png');
    return { bytes, fileName, file, item };
  }
  const uri = uriOf(image);
  if (!uri) return 'notFound';
  const bytes = await readImage(uri);
  if (typeof bytes === 'string') return bytes;
  const known = history
    .list()
    .find((i) => i.savedUris.includes(uri.toString()) || history.cacheUri(i)?.toString() === uri.toString());
  const inCache = uri.toString().startsWith(history.imagesDir.toString());
  return { bytes, fileName: basename(uri.path), file: inCache ? undefined : uri, item: known };
}
