import * as vscode from 'vscode';

/** Shows that generations are running, with how many, while any is. */
export class GenerationStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'imageGen.status',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private running = 0;

  constructor() {
    this.item.name = vscode.l10n.t('Image Gen');
    this.item.command = 'imageGen.showLog';
  }

  /** Marks one generation as running until the returned function is called. */
  begin(): () => void {
    this.running++;
    this.render();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running--;
      this.render();
    };
  }

  private render(): void {
    if (this.running === 0) {
      this.item.hide();
      return;
    }
    this.item.text =
      this.running === 1
        ? `$(loading~spin) ${vscode.l10n.t('Generating image…')}`
        : `$(loading~spin) ${vscode.l10n.t('Generating {0} images…', this.running)}`;
    this.item.tooltip = vscode.l10n.t('Image Gen is waiting for the provider. Click to show the log.');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
