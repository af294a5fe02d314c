import * as vscode from 'vscode';

/**
 * Context keys the walkthrough's steps complete on (`onContext:` in package.json), set from real
 * state: a key stored for any base URL, an image in the gallery. Only changes are sent.
 */
export class WalkthroughState implements vscode.Disposable {
  private readonly sent = new Map<string, boolean>();
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly deps: {
      hasKey(): boolean;
      hasImages(): boolean;
      onDidChange: vscode.Event<unknown>[];
    },
  ) {
    this.listeners = deps.onDidChange.map((event) => event(() => this.refresh()));
    // The first look reads the history file: after activation, which does no file I/O (PRODUCT.md §9).
    const first = setImmediate(() => this.refresh());
    this.listeners.push({ dispose: () => clearImmediate(first) });
  }

  refresh(): void {
    this.set('imageGen.hasApiKey', this.deps.hasKey());
    this.set('imageGen.hasImages', this.deps.hasImages());
  }

  private set(key: string, value: boolean): void {
    if (this.sent.get(key) === value) return;
    this.sent.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    this.listeners.forEach((l) => l.dispose());
  }
}
