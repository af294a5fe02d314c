import * as vscode from 'vscode';
import { imageLinkAt, isLocalTarget, markdownText } from '../core/imageLinks';
import { dirname, joinPath } from '../core/paths';
import type { HistoryItem } from '../core/history';
import type { Provenance } from '../core/provenance';

const HOVER_PICTURE_HEIGHT = 150;
const MARKDOWN: vscode.DocumentSelector = [{ language: 'markdown' }, { language: 'mdx' }];

/** The gallery's records, as the hover reads them. */
interface KnownImages {
  /** Resolves once the gallery's records are loaded. */
  ready(): Promise<unknown>;
  list(): readonly HistoryItem[];
}

/** How many files' provenance the hover remembers (by URI, with the size and time it was read at). */
const REMEMBERED_FILES = 50;

/**
 * The picture of an image link under the mouse in Markdown, with its prompt when known: from the
 * gallery, else from the file itself (its PNG text chunk or sidecar, so a teammate's checkout shows
 * it too).
 */
export class ImageLinkHover implements vscode.HoverProvider {
  private readonly read = new Map<string, { size: number; mtime: number; value: Provenance | undefined }>();

  constructor(
    private readonly history: KnownImages,
    private readonly readProvenance: (
      file: vscode.Uri,
      stat: vscode.FileStat,
    ) => Promise<Provenance | undefined>,
  ) {}

  static register(
    history: KnownImages,
    readProvenance: (file: vscode.Uri, stat: vscode.FileStat) => Promise<Provenance | undefined>,
  ): vscode.Disposable {
    return vscode.languages.registerHoverProvider(MARKDOWN, new ImageLinkHover(history, readProvenance));
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    const link = imageLinkAt(line, position.character);
    if (!link) return undefined;
    const uri = this.resolve(document.uri, link.target);
    if (!uri) return undefined;
    await this.history.ready().catch(() => undefined);
    const key = uri.toString();
    const item: Pick<HistoryItem, 'prompt' | 'revisedPrompt' | 'model' | 'size'> | undefined =
      this.history.list().find((i) => i.remoteUrl === link.target || i.savedUris.includes(key)) ??
      (uri.scheme === 'http' || uri.scheme === 'https' ? undefined : await this.fromFile(uri));
    const md = new vscode.MarkdownString();
    // VS Code keeps a hover within 250 px of height (a quarter of a taller editor): a picture
    // 150 px high leaves room for the prompt below it without scrolling; its width follows its shape.
    md.appendMarkdown(
      `![${link.alt.replace(/[[\]\\]/g, '')}](${uri.toString(true).replace(/[()\s]/g, encodeURIComponent)}|height=${HOVER_PICTURE_HEIGHT})`,
    );
    if (item) {
      md.appendMarkdown('\n\n');
      md.appendMarkdown(markdownText(vscode.l10n.t('Prompt: {0}', item.revisedPrompt ?? item.prompt)));
      md.appendMarkdown('\n\n');
      md.appendMarkdown(markdownText(`${item.model} · ${item.size}`));
    }
    return new vscode.Hover(md, new vscode.Range(position.line, link.start, position.line, link.end));
  }

  /** What the file carries, read again only when its size or time changed (hovers repeat). */
  private async fromFile(uri: vscode.Uri): Promise<Provenance | undefined> {
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (!stat) return undefined;
    const key = uri.toString();
    const known = this.read.get(key);
    if (known && known.size === stat.size && known.mtime === stat.mtime) return known.value;
    const value = await this.readProvenance(uri, stat).catch(() => undefined);
    this.read.delete(key);
    this.read.set(key, { size: stat.size, mtime: stat.mtime, value });
    if (this.read.size > REMEMBERED_FILES) this.read.delete(this.read.keys().next().value as string);
    return value;
  }

  private resolve(document: vscode.Uri, target: string): vscode.Uri | undefined {
    if (!isLocalTarget(target)) {
      const uri = vscode.Uri.parse(target);
      return uri.scheme === 'https' || uri.scheme === 'http' || uri.scheme === 'file' ? uri : undefined;
    }
    if (document.scheme === 'untitled') return undefined;
    // Already decoded (`%20` → space) by findImageLinks.
    const path = target;
    const folder = vscode.workspace.getWorkspaceFolder(document)?.uri.path;
    const absolute =
      path.startsWith('/') && folder ? joinPath(folder, path) : joinPath(dirname(document.path), path);
    return document.with({ path: absolute, query: '', fragment: '' });
  }
}
