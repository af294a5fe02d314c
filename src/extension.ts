import * as vscode from 'vscode';
import { EditFlow } from './app/editImage';
import { ImageLinkActions } from './app/imageLinkActions';
import { registerImageTools } from './agents/lmTools';
import { registerMcpServer } from './agents/mcpProvider';
import { AgentImages } from './app/agentImages';
import { IllustrateDocument } from './app/illustrate';
import { GenerationRunner } from './app/generationRunner';
import { HistoryReferenceEditing } from './app/referenceEditing';
import { clearApiKeyCommand, setApiKeyCommand } from './commands/apiKey';
import type { Command } from './commands/command';
import { editCommands } from './commands/editImage';
import { GenerateFlow, generateCommands } from './commands/generate';
import { GenerateQuestions } from './commands/generateQuestions';
import { IllustrateCommand, illustrateCommand } from './commands/illustrate';
import { testConnectionCommand } from './commands/testConnection';
import { AnchorTracker } from './services/anchorTracker';
import { ApiKeyStore, KeyPrompt } from './services/apiKeys';
import { BalanceService } from './services/balance';
import { CatalogService } from './services/catalogService';
import { ChatDrafter } from './services/chatDrafter';
import { ConfigurationReader } from './services/configuration';
import { DocumentInserter } from './services/documentInserter';
import { ErrorPresenter } from './services/errorPresenter';
import { HistoryStore } from './services/historyStore';
import { nodeFetch } from './services/http';
import { ImageGenerator } from './services/imageGenerator';
import { ImageLinkLensProvider } from './services/imageLinkLens';
import { ImageLinkHover } from './services/imageHover';
import { ImagePlacer } from './services/imagePlacer';
import { InsecureOriginGate } from './services/insecureOrigins';
import { ImageSaver } from './services/imageSaver';
import { GenerationPlaceholders } from './services/placeholders';
import { Logger } from './services/logger';
import { ProvenanceFiles } from './services/provenanceFiles';
import { ProgressNotifications } from './services/progressNotifications';
import { GenerationStatus } from './services/statusBar';
import { DelegatingUi, VsCodeUi } from './services/ui';
import { WalkthroughState } from './services/walkthroughState';
import { LastEditorTracker, createWebviewDeps } from './app/webviewServices';
import { generatorRevival, openGenerator as showGeneratorPanel, registerWebviews } from './webviews/register';
import { webviewOptions } from './webviews/webviewHost';
import type { TestHooks } from './testHooks';

/** Wiring only: build the services, register commands and views. Nothing here touches disk or network. */
export function activate(context: vscode.ExtensionContext) {
  const add = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const ui = new DelegatingUi(new VsCodeUi());
  const log = add(new Logger());
  const config = add(new ConfigurationReader());
  const keys = add(new ApiKeyStore(context.secrets, context.globalState));
  const fetch = nodeFetch;
  const gate = new InsecureOriginGate(context.globalState, ui);
  const catalog = new CatalogService({
    config,
    keys,
    fetch,
    log,
    mayUseKeyFor: (origin) => gate.allowed(origin),
  });
  add(config.onDidChange(() => catalog.invalidate()));
  const history = add(
    new HistoryStore(
      context.globalStorageUri,
      () => config.get().historyMaxItems,
      log,
      (message) => void ui.warn(message),
    ),
  );
  flushOnExit = () => history.flush();
  const balance = add(
    new BalanceService({ config, keys, fetch, log, ui, mayUseKeyFor: (origin) => gate.allowed(origin) }),
  );
  add(config.onDidChange(() => balance.reset()));
  const keyPrompt = new KeyPrompt(ui);
  const generator = new ImageGenerator({
    config,
    keys,
    keyPrompt,
    history,
    catalog,
    ui,
    log,
    fetch,
    gate,
    afterGeneration: () => void balance.refresh(),
  });
  const presenter = new ErrorPresenter(ui, log);
  const tracker = add(new AnchorTracker());
  const status = add(new GenerationStatus());
  // Every paid request runs through here: Cancel, the status item, errors shown, deactivation.
  const runner = add(
    new GenerationRunner({ generator, presenter, status, notifications: new ProgressNotifications() }),
  );
  const provenance = new ProvenanceFiles(history);
  // PNGs carry their provenance inside (written when cached); other formats get a sidecar.
  const saver = new ImageSaver(
    (item) => history.cacheUri(item),
    (item, saved) =>
      item.cacheFile?.endsWith('.png') ? Promise.resolve() : provenance.writeSidecar(saved, item),
  );
  const inserter = new DocumentInserter();
  const placeholders = add(new GenerationPlaceholders());
  const placer = new ImagePlacer({ config, saver, inserter, placeholders, history, ui, presenter });

  add(ImageLinkHover.register(history));
  add(
    new WalkthroughState({
      hasKey: () => keys.origins().length > 0,
      hasImages: () => history.list().length > 0,
      onDidChange: [context.secrets.onDidChange, history.onDidChange],
    }),
  );

  const lastEditor = add(new LastEditorTracker());
  const webviewDeps = createWebviewDeps({
    extensionUri: context.extensionUri,
    config,
    catalog,
    runner,
    placer,
    tracker,
    history,
    ui,
    log,
    lastEditor,
  });
  for (const d of registerWebviews(webviewDeps)) add(d);
  const openGenerator = async (prompt?: string) => {
    await showGeneratorPanel(webviewDeps, prompt);
  };

  const flow = new GenerateFlow({
    presenter,
    config,
    catalog,
    runner,
    placer,
    tracker,
    ui,
    log,
    state: context.globalState,
    openGenerator,
  });

  const editFlow = new EditFlow({
    presenter,
    config,
    catalog,
    runner,
    history,
    saver,
    placer,
    inserter,
    tracker,
    ui,
    log,
  });
  const linkActions = new ImageLinkActions({
    config,
    runner,
    placer,
    tracker,
    provenance,
    ui,
  });
  add(
    vscode.languages.registerCodeLensProvider(
      [{ language: 'markdown' }, { language: 'mdx' }],
      new ImageLinkLensProvider(history),
    ),
  );
  // Agents (PRODUCT.md §12): the language-model tools and the MCP server, on one use case.
  const workspaceFolder = () => vscode.workspace.workspaceFolders?.[0]?.uri;
  const agent = new AgentImages({ config, keys, gate, generator, saver, history, workspaceFolder });
  for (const d of registerImageTools({ agent, config, presenter, runner })) add(d);
  for (const d of registerMcpServer({
    extensionUri: context.extensionUri,
    config,
    keys,
    gate,
    workspaceFolder,
  }))
    add(d);

  const illustrate = new IllustrateDocument({
    config,
    generator,
    placer,
    tracker,
    presenter,
    runner,
    ui,
    log,
    editing: new HistoryReferenceEditing({ generator, history }),
  });
  const illustrateFlow = new IllustrateCommand({
    presenter,
    config,
    catalog,
    placer,
    illustrate,
    drafter: new ChatDrafter(log),
    pickers: new GenerateQuestions({ catalog, ui, state: context.globalState }),
    ui,
    log,
    state: context.globalState,
  });

  const commands: Command[] = [
    ...generateCommands(flow),
    ...editCommands(editFlow, linkActions),
    illustrateCommand(illustrateFlow),
    setApiKeyCommand({ config, keys, keyPrompt, ui, log }),
    clearApiKeyCommand({ config, keys, keyPrompt, ui, log }),
    testConnectionCommand({ config, generator, presenter, ui, log, fetch }),
    { id: 'imageGen.showLog', execute: () => log.show() },
    { id: 'imageGen.showBalance', execute: () => balance.show() },
    {
      id: 'imageGen.openGenerator',
      execute: (prompt?: unknown) => openGenerator(typeof prompt === 'string' ? prompt : undefined),
    },
  ];
  for (const c of commands)
    add(vscode.commands.registerCommand(c.id, (...args: unknown[]) => c.execute(...args)));

  if (process.env.IMAGE_GEN_TEST_HOOKS === '1') {
    const testHooks: TestHooks = {
      context,
      ui,
      history,
      keys,
      log,
      generator,
      webviewRoots: () => webviewOptions(webviewDeps).localResourceRoots ?? [],
      webviewDeps,
      generatorPanel: generatorRevival(webviewDeps),
      cancelAll: () => runner.abortAll(),
      runningCount: () => runner.size,
      placeholders: (uri?: vscode.Uri) => placeholders.shown(uri),
      balanceShown: async () => {
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
