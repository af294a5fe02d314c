// What the activation bundle (dist/extension.js) builds once and hands to every lazy bundle, so no
// bundle holds a second history store, key store, log or status item (docs/architecture.md, "Bundles").
import type * as vscode from 'vscode';
import type { ApiKeyStore, KeyPrompt } from '../services/apiKeys';
import type { ConfigurationReader } from '../services/configuration';
import type { HistoryStore } from '../services/historyStore';
import type { InsecureOriginGate } from '../services/insecureOrigins';
import type { Logger } from '../services/logger';
import type { GenerationStatus } from '../services/statusBar';
import type { DelegatingUi } from '../services/ui';
import type { LastEditorTracker } from '../app/lastEditor';
import type { LocalFiles } from '../webviews/deps';
import type { DownloadProblem } from '../core/types';

export interface ActivationServices {
  context: vscode.ExtensionContext;
  /** Disposed with the extension (context.subscriptions). */
  add<T extends vscode.Disposable>(d: T): T;
  ui: DelegatingUi;
  log: Logger;
  config: ConfigurationReader;
  keys: ApiKeyStore;
  keyPrompt: KeyPrompt;
  gate: InsecureOriginGate;
  history: HistoryStore;
  status: GenerationStatus;
  lastEditor: LastEditorTracker;
  /** Reads on the host's disk (activation's copy: a feature using it needs no engine). */
  files: LocalFiles;
  /** Why no local copy was kept, in words (activation's copy, as `files`). */
  downloadReason(problem: DownloadProblem): string;
  /** Loads the webviews bundle on first use. */
  openGenerator(prompt?: string): Promise<void>;
}
