// Drag and drop from the gallery and the panel into a text editor: the page puts the item's id on
// the drag under our own mime type; this provider saves the file (as Insert as file does) and
// inserts the snippet where it was dropped, as a paragraph or line of its own.
import * as vscode from 'vscode';
import { placementStyle, planInsertion } from '../core/placement';
import type { SnippetLanguage } from '../core/snippets';
import type { WebviewDeps } from './deps';
import { errorText, findItem } from './webviewHost';
import { ITEM_DRAG_MIME, parseItemDragData } from './shared/itemView';

export class ItemDropProvider implements vscode.DocumentDropEditProvider {
  constructor(private readonly deps: WebviewDeps) {}

  async provideDocumentDropEdits(
    document: vscode.TextDocument,
    position: vscode.Position,
    dataTransfer: vscode.DataTransfer,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentDropEdit | undefined> {
    const raw = await dataTransfer.get(ITEM_DRAG_MIME)?.asString();
    const id = raw === undefined ? undefined : parseItemDragData(raw);
    if (!id || token.isCancellationRequested) return undefined;
    const item = findItem(this.deps, id);
    if (!item) {
      void this.deps.ui.warn(vscode.l10n.t('This image is no longer in the gallery.'));
      return undefined;
    }
    let snippet: { text: string; language: SnippetLanguage } | undefined;
    try {
      snippet = await this.deps.dropSnippet(item, document);
    } catch (e) {
      this.deps.log.error(`Drop into ${document.uri.toString()} failed: ${errorText(e)}`);
    }
    if (snippet === undefined || token.isCancellationRequested) return undefined;
    // The same rule as every other entry point: a paragraph (or line) of its own, at the drop.
    const at = document.offsetAt(position);
    const plan = planInsertion(document.getText(), [snippet.text], {
      start: at,
      end: at,
      style: placementStyle(snippet.language),
    });
    const edit = new vscode.DocumentDropEdit('');
    edit.additionalEdit = new vscode.WorkspaceEdit();
    edit.additionalEdit.replace(
      document.uri,
      new vscode.Range(document.positionAt(plan.start), document.positionAt(plan.end)),
      plan.text,
    );
    return edit;
  }
}
