import * as vscode from 'vscode';
import { findImageLinks, isLocalTarget } from '../core/imageLinks';
import { dirname, joinPath } from '../core/paths';
import type { HistoryStore } from './historyStore';

/** Documents with more image links than this get lenses on the first ones only. */
const MAX_LINKS = 200;

/** A link's target as a Uri: relative to the document, a leading `/` to its workspace folder. */
export function resolveLinkTarget(document: vscode.Uri, target: string): vscode.Uri | undefined {
  if (!isLocalTarget(target) || document.scheme === 'untitled') return undefined;
  const clean = target.split(/[?#]/)[0];
  if (!clean) return undefined;
  if (clean.startsWith('/')) {
    const root = vscode.workspace.getWorkspaceFolder(document)?.uri;
    return root ? root.with({ path: joinPath(root.path, clean) }) : undefined;
  }
  return document.with({ path: joinPath(dirname(document.path), clean), query: '', fragment: '' });
}

/**
 * *Regenerate · Edit · Show prompt* above every image link in Markdown whose file is in the
 * workspace or known to the gallery (PRODUCT.md §11).
 */
export class ImageLinkLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly history: HistoryStore) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) =>
      history.onDidChange(() => listener.call(thisArgs), undefined, disposables);
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken) {
    const links = findImageLinks(document.getText()).slice(0, MAX_LINKS);
    const known = new Set(this.history.list().flatMap((i) => i.savedUris));
    const lenses: vscode.CodeLens[] = [];
    for (const link of links) {
      if (token.isCancellationRequested) return [];
      const uri = resolveLinkTarget(document.uri, link.target);
      if (!uri || !(known.has(uri.toString()) || (await this.exists(uri)))) continue;
      const range = new vscode.Range(document.positionAt(link.start), document.positionAt(link.end));
      const arg = { image: uri.toString(), at: { document: document.uri.toString(), offset: link.start } };
      lenses.push(
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Regenerate'),
          command: 'imageGen.regenerateImage',
          arguments: [arg],
        }),
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Edit'),
          command: 'imageGen.editImage',
          arguments: [arg],
        }),
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Show prompt'),
          command: 'imageGen.showImagePrompt',
          arguments: [arg],
        }),
      );
    }
    return lenses;
  }

  private exists(uri: vscode.Uri): Promise<boolean> {
    if (!vscode.workspace.getWorkspaceFolder(uri)) return Promise.resolve(false);
    return Promise.resolve(vscode.workspace.fs.stat(uri)).then(
      (s) => s.type === vscode.FileType.File,
      () => false,
    );
  }
}
