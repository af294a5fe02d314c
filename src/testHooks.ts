// What activate() exports when IMAGE_GEN_TEST_HOOKS=1: the integration tests' one handle on the
// running extension. Declared once here; extension.ts builds it, test/integration/support uses it.
import type * as vscode from 'vscode';
import type { ApiKeyStore } from './services/apiKeys';
import type { HistoryStore } from './services/historyStore';
import type { ShownPlaceholder } from './services/placeholders';
import type { ImageGenerator } from './services/imageGenerator';
import type { Logger } from './services/logger';
import type { DelegatingUi } from './services/ui';
import type { WebviewDeps } from './webviews/deps';

export interface TestHooks {
  context: vscode.ExtensionContext;
  /** Tests swap its target for a recording double. */
  ui: DelegatingUi;
  history: HistoryStore;
  keys: ApiKeyStore;
  log: Logger;
  generator: ImageGenerator;
  /** The resource roots every webview of this window gets. */
  webviewRoots(): readonly vscode.Uri[];
  /** What the generator panel and the gallery call (insert, generate…), the same object they get. */
  webviewDeps: WebviewDeps;
  /** The extension's own generator panel serializer (what VS Code calls after a reload) and panel. */
  generatorPanel: {
    revive(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
    current(): vscode.WebviewPanel | undefined;
  };
  /** Aborts every running generation, as the progress notification's Cancel does. */
  cancelAll(): void;
  runningCount(): number;
  /** The "generating…" marks the visible editors show now (of one document, or all). */
  placeholders(uri?: vscode.Uri): ShownPlaceholder[];
  /** What the balance item shows (undefined = hidden), after the refresh now running ends. */
  balanceShown(): Promise<string | undefined>;
}
