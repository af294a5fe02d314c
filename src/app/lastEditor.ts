import * as vscode from 'vscode';

/** Remembers the last text editor that had focus: while a webview has it, `activeTextEditor` is undefined. */
export class LastEditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly listener = vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e) this.last = e;
  });

  get editor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    return this.last && !this.last.document.isClosed ? this.last : undefined;
  }

  dispose(): void {
    this.listener.dispose();
  }
}
