import * as vscode from 'vscode';
import type { WebviewDeps } from './deps';
import { GeneratorPanel, GeneratorPanelSerializer } from './generator/generatorPanel';

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
