import * as vscode from 'vscode';
import type { WebviewDeps } from './deps';
import { registerItemDrop } from './dropProvider';
import { GalleryViewProvider } from './gallery/galleryView';
import {
  GeneratorPanel,
  GeneratorPanelSerializer,
  registerGeneratorSerializer,
} from './generator/generatorPanel';

/** Registers the gallery view provider and the generator panel serializer. */
export function registerWebviews(deps: WebviewDeps): vscode.Disposable[] {
  const gallery = new GalleryViewProvider(deps);
  return [
    gallery,
    // Not retained while hidden: the page keeps its own state and re-renders only visible rows.
    vscode.window.registerWebviewViewProvider(GalleryViewProvider.viewId, gallery, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    // The open panel is not disposed with the extension: VS Code restores it through the serializer.
    registerGeneratorSerializer(deps),
    registerItemDrop(deps),
  ];
}

/** `imageGen.openGenerator`: the panel, with the prompt given (else the active editor's selection). */
export async function openGenerator(deps: WebviewDeps, prompt?: string): Promise<GeneratorPanel> {
  const editor = vscode.window.activeTextEditor;
  const selection =
    editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const text = prompt ?? (selection?.trim() ? selection.trim() : undefined);
  // The panel restored after a reload is used, not a second one beside it.
  await GeneratorPanel.reviveRestoredTab();
  return GeneratorPanel.createOrShow(deps, { prompt: text, targetDocument: editor?.document.uri });
}

/** For the tests: what VS Code does with a tab restored after a reload, and the panel in use. */
export function generatorRevival(deps: WebviewDeps) {
  const serializer = new GeneratorPanelSerializer(deps);
  return {
    revive: (panel: vscode.WebviewPanel, state: unknown) => serializer.deserializeWebviewPanel(panel, state),
    current: (): vscode.WebviewPanel | undefined => GeneratorPanel.current?.panel,
  };
}
