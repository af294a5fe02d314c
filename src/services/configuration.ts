import * as vscode from 'vscode';
import { readSettings, RESTRICTED, type ImageGenConfig } from '../core/settings';

export type { AltTextMode, ImageGenConfig, InsertAs, SelectionBehavior } from '../core/settings';

/**
 * The one typed reader of `imageGen.*`: unknown values map to defaults, and in an untrusted
 * workspace the restricted settings come from user settings only.
 */
export class ConfigurationReader implements vscode.Disposable {
  private cached: ImageGenConfig | undefined;
  private readonly subscription: vscode.Disposable;
  private readonly changeEmitter = new vscode.EventEmitter<ImageGenConfig>();
  readonly onDidChange = this.changeEmitter.event;

  constructor() {
    this.subscription = vscode.Disposable.from(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('imageGen')) this.invalidate();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()),
    );
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changeEmitter.fire(this.get());
  }

  get(): ImageGenConfig {
    if (this.cached) return this.cached;
    const c = vscode.workspace.getConfiguration('imageGen');
    const trusted = vscode.workspace.isTrusted;
    const read = (key: string): unknown => {
      if (trusted || !RESTRICTED.has(key)) return c.get(key);
      const i = c.inspect(key);
      return i?.globalValue ?? i?.defaultValue;
    };
    this.cached = readSettings(read);
    return this.cached;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
