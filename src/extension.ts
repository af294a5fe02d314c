import * as vscode from 'vscode';
import { registerImageTools } from './agents/lmTools';
import { registerMcpServer } from './agents/mcpProvider';
import { LastEditorTracker } from './app/lastEditor';
import type * as AgentsBundle from './bundles/agents';
import type * as EditBundle from './bundles/edit';
import type * as EngineBundle from './bundles/engine';
import type * as IllustrateBundle from './bundles/illustrate';
import type { ActivationServices } from './bundles/services';
import type * as WebviewsBundle from './bundles/webviews';
import type { Command } from './commands/command';
import { ApiKeyStore, KeyPrompt } from './services/apiKeys';
import { ConfigurationReader } from './services/configuration';
import { HistoryStore } from './services/historyStore';
import { ImageLinkLensProvider } from './services/imageLinkLens';
import { ImageLinkHover } from './services/imageHover';
import { readProvenanceFromFile } from './services/provenanceReader';
import { InsecureOriginGate } from './services/insecureOrigins';
import { Logger } from './services/logger';
import { downloadReason } from './services/downloadWords';
import { isFile, readBytes } from './services/localFiles';
import { GenerationStatus } from './services/statusBar';
import { DelegatingUi, VsCodeUi } from './services/ui';
import { WalkthroughState } from './services/walkthroughState';
import { registerWebviews } from './webviews/contributions';
import type { TestHooks } from './testHooks';

/** The value of `load()`, computed on the first call; a failed load is tried again next time. */
function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}

/**
 * Wiring only: build the services every Markdown file needs (history for the hover and CodeLens,
 * settings, keys, log), register every command, view, provider and tool, nothing more. What runs a
 * request, the webviews, Illustrate, Edit Image and the agents' tools are lazy bundles beside this
 * file (dist/lazy/*.js, esbuild.js), required on first use and handed these very instances.
 * Nothing here touches disk or network.
 */
export function activate(context: vscode.ExtensionContext) {
  const add = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const ui = new DelegatingUi(new VsCodeUi());
  const log = add(new Logger());
  const config = add(new ConfigurationReader());
  const keys = add(new ApiKeyStore(context.secrets, context.globalState));
  const gate = new InsecureOriginGate(context.globalState, ui);
  const history = add(
    new HistoryStore(
      context.globalStorageUri,
      () => config.get().historyMaxItems,
      log,
      (message) => void ui.warn(message),
    ),
  );
  flushOnExit = () => history.flush();
  const services: ActivationServices = {
    context,
    add,
    ui,
    log,
    config,
    keys,
    keyPrompt: new KeyPrompt(ui),
    gate,
    history,
    status: add(new GenerationStatus()),
    lastEditor: add(new LastEditorTracker()),
    files: { readBytes, isFile },
    downloadReason,
    openGenerator: (prompt) => webviews().open(prompt),
  };

  /* eslint-disable @typescript-eslint/no-require-imports -- the lazy bundles, CommonJS, loaded on first use */
  const engine = once(() => (require('./lazy/engine.js') as typeof EngineBundle).createEngine(services));
  const webviews = once(() =>
    (require('./lazy/webviews.js') as typeof WebviewsBundle).createWebviews(services, engine),
  );
  const illustrate = once(() =>
    (require('./lazy/illustrate.js') as typeof IllustrateBundle).createIllustrate(services, engine()),
  );
  const edit = once(() => (require('./lazy/edit.js') as typeof EditBundle).createEdit(services, engine()));
  const agents = once(() =>
    (require('./lazy/agents.js') as typeof AgentsBundle).createAgentTools(services, engine()),
  );
  /* eslint-enable @typescript-eslint/no-require-imports */

  // On every Markdown file: kept light, they read the history this bundle holds (the hover reads an
  // image's own provenance only for a file the gallery does not know).
  add(ImageLinkHover.register(history, readProvenanceFromFile));
  add(
    vscode.languages.registerCodeLensProvider(
      [{ language: 'markdown' }, { language: 'mdx' }],
      new ImageLinkLensProvider(history),
    ),
  );
  add(
    new WalkthroughState({
      hasKey: () => keys.origins().length > 0,
      hasImages: () => history.list().length > 0,
      onDidChange: [context.secrets.onDidChange, history.onDidChange],
    }),
  );
  for (const d of registerWebviews(webviews)) add(d);
  // Agents (PRODUCT.md §12): the tools are listed from activation on; their work loads when called.
  for (const d of registerImageTools(agents)) add(d);
  for (const d of registerMcpServer({
    extensionUri: context.extensionUri,
    config,
    keys,
    gate,
    workspaceFolder: () => vscode.workspace.workspaceFolders?.[0]?.uri,
  }))
    add(d);

  // Each command id with the bundle that implements it; the bundle is loaded by the first call.
  const lazyCommands: Array<[readonly string[], () => readonly Command[]]> = [
    [
      [
        'imageGen.generate',
        'imageGen.generateFromSelection',
        'imageGen.setApiKey',
        'imageGen.clearApiKey',
        'imageGen.testConnection',
        'imageGen.showBalance',
      ],
      () => engine().commands,
    ],
    [['imageGen.editImage', 'imageGen.regenerateImage', 'imageGen.showImagePrompt'], edit],
    [['imageGen.illustrateDocument'], illustrate],
  ];
  for (const [ids, load] of lazyCommands)
    for (const id of ids)
      add(
        vscode.commands.registerCommand(id, (...args: unknown[]) => {
          const command = load().find((c) => c.id === id);
          if (!command) throw new Error(`${id} is missing from its bundle`);
          return command.execute(...args);
        }),
      );
  add(vscode.commands.registerCommand('imageGen.showLog', () => log.show()));
  add(
    vscode.commands.registerCommand('imageGen.openGenerator', (prompt?: unknown) =>
      services.openGenerator(typeof prompt === 'string' ? prompt : undefined),
    ),
  );

  if (process.env.IMAGE_GEN_TEST_HOOKS === '1') {
    // Getters: a test that reaches into a lazy bundle loads it, as a user's first use would.
    const testHooks: TestHooks = {
      context,
      ui,
      history,
      keys,
      log,
      get generator() {
        return engine().generator;
      },
      /** The resource roots every webview of this window gets. */
      webviewRoots: () => webviews().roots(),
      get webviewDeps() {
        return webviews().deps;
      },
      get generatorPanel() {
        return webviews().revival();
      },
      /** Aborts every running generation, as the progress notification's Cancel does. */
      cancelAll: () => engine().runner.abortAll(),
      runningCount: () => engine().runner.size,
      /** The "generating…" marks the visible editors show now (of one document, or all). */
      placeholders: (uri?: vscode.Uri) => engine().placeholders.shown(uri),
      /** What the balance item shows (undefined = hidden), after the refresh now running ends. */
      balanceShown: async () => {
        const { balance } = engine();
        await balance.refresh();
        return balance.shown;
      },
    };
    return { testHooks };
  }
  return undefined;
}

/** Set by activate(): VS Code waits for deactivate's promise, so the last gallery change reaches disk. */
let flushOnExit: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
  return flushOnExit?.();
}
