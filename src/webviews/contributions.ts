// What VS Code needs from the webviews before any of them is shown: the gallery view provider, the
// generator panel serializer (restore after a reload) and the drop of a gallery item. Each hands
// over to the webviews bundle (`load`) only when VS Code first calls it, so activation stays light.
import * as vscode from 'vscode';
import { GALLERY_VIEW_ID } from './gallery/protocol';
import { GENERATOR_VIEW_TYPE } from './generator/protocol';
import { ITEM_DRAG_MIME } from './shared/itemView';

export interface WebviewHosts {
  gallery: vscode.WebviewViewProvider;
  serializer: vscode.WebviewPanelSerializer<unknown>;
  drop: vscode.DocumentDropEditProvider;
}

export function registerWebviews(load: () => WebviewHosts): vscode.Disposable[] {
  return [
    // Not retained while hidden: the page keeps its own state and re-renders only visible rows.
    vscode.window.registerWebviewViewProvider(
      GALLERY_VIEW_ID,
      {
        resolveWebviewView: (view, context, token) => load().gallery.resolveWebviewView(view, context, token),
      },
      { webviewOptions: { retainContextWhenHidden: false } },
    ),
    // The open panel is not disposed with the extension: VS Code restores it through the serializer.
    vscode.window.registerWebviewPanelSerializer(GENERATOR_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => load().serializer.deserializeWebviewPanel(panel, state),
    }),
    vscode.languages.registerDocumentDropEditProvider(
      { pattern: '**' },
      {
        // Only a drag of ours loads the webviews: every other drop answers at once.
        provideDocumentDropEdits: (document, position, dataTransfer, token) =>
          dataTransfer.get(ITEM_DRAG_MIME) === undefined
            ? undefined
            : load().drop.provideDocumentDropEdits(document, position, dataTransfer, token),
      },
    ),
  ];
}
