import * as vscode from 'vscode';
import { EditFlow } from './app/editImage';
import { ImageLinkActions } from './app/imageLinkActions';
import { registerImageTools } from './agents/lmTools';
import { registerMcpServer } from './agents/mcpProvider';
import { AgentImages } from './app/agentImages';
import { clearApiKeyCommand, setApiKeyCommand } from './commands/apiKey';
import type { Command } from './commands/command';
import { editCommands } from './commands/editImage';
import { GenerateFlow, generateCommands } from './commands/generate';
import { testConnectionCommand } from './commands/testConnection';
import { AnchorTracker } from './services/anchorTracker';
import { ApiKeyStore } from './services/apiKeys';
import { CatalogService } from './services/catalogService';
import { ConfigurationReader } from './services/configuration';
import { DocumentInserter } from './services/documentInserter';
import { ErrorPresenter } from './services/errorPresenter';
import { HistoryStore } from './services/historyStore';
import { nodeFetch } from './services/http';
import { ImageGenerator } from './services/imageGenerator';
import { ImageLinkLensProvider } from './services/imageLinkLens';
import { ImagePlacer } from './services/imagePlacer';
import { InsecureOriginGate } from './services/insecureOrigins';
import { ImageSaver } from './services/imageSaver';
import { Logger } from './services/logger';
import { ProvenanceFiles } from './services/provenanceFiles';
import { GenerationStatus } from './services/statusBar';
import { DelegatingUi, VsCodeUi } from './services/ui';
import { LastEditorTracker, createWebviewDeps } from './services/webviewServices';
import { openGenerator as showGeneratorPanel, registerWebviews } from './webviews/register';

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
  const history = add(new HistoryStore(context.globalStorageUri, () => config.get().historyMaxItems, log));
  flushOnExit = () => history.flush();
  const generator = new ImageGenerator({ config, keys, history, catalog, ui, log, fetch, gate });
  const presenter = new ErrorPresenter(ui, log);
  const tracker = add(new AnchorTracker());
  const status = add(new GenerationStatus());
  const running = new Set<AbortController>();
  const provenance = new ProvenanceFiles(history);
  // PNGs carry their provenance inside (written when cached); other formats get a sidecar.
  const saver = new ImageSaver(
    (item) => history.cacheUri(item),
    (item, saved) =>
      item.cacheFile?.endsWith('.png') ? Promise.resolve() : provenance.writeSidecar(saved, item),
  );
  const inserter = new DocumentInserter();
  const placer = new ImagePlacer({ config, saver, inserter, history, ui });

  const lastEditor = add(new LastEditorTracker());
  const webviewDeps = createWebviewDeps({
    extensionUri: context.extensionUri,
    config,
    catalog,
    generator,
    placer,
    tracker,
    history,
    presenter,
    status,
    ui,
    log,
    lastEditor,
    running,
  });
  for (const d of registerWebviews(webviewDeps)) add(d);
  const openGenerator = async (prompt?: string) => {
    showGeneratorPanel(webviewDeps, prompt);
  };

  const flow = new GenerateFlow({
    config,
    catalog,
    generator,
    placer,
    tracker,
    presenter,
    status,
    ui,
    log,
    state: context.globalState,
    running,
    openGenerator,
  });

  const editFlow = new EditFlow({
    config,
    catalog,
    generator,
    history,
    saver,
    placer,
    inserter,
    tracker,
    presenter,
    status,
    ui,
    log,
    running,
  });
  const linkActions = new ImageLinkActions({
    config,
    generator,
    placer,
    tracker,
    presenter,
    provenance,
    status,
    ui,
    running,
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
  for (const d of registerImageTools({ agent, config, running })) add(d);
  for (const d of registerMcpServer({
    extensionUri: context.extensionUri,
    config,
    keys,
    gate,
    workspaceFolder,
  }))
    add(d);

  const commands: Command[] = [
    ...generateCommands(flow),
    ...editCommands(editFlow, linkActions),
    setApiKeyCommand({ config, keys, ui, log }),
    clearApiKeyCommand({ config, keys, ui, log }),
    testConnectionCommand({ config, generator, presenter, ui, log, fetch }),
    { id: 'imageGen.showLog', execute: () => log.show() },
    {
      id: 'imageGen.openGenerator',
      execute: (prompt?: unknown) => openGenerator(typeof prompt === 'string' ? prompt : undefined),
    },
  ];
  for (const c of commands)
    add(vscode.commands.registerCommand(c.id, (...args: unknown[]) => c.execute(...args)));
  add({ dispose: () => running.forEach((c) => c.abort()) });

  if (process.env.IMAGE_GEN_TEST_HOOKS === '1') {
    return {
      testHooks: {
        context,
        ui,
        history,
        keys,
        log,
        /** Aborts every running generation, as the progress notification's Cancel does. */
        cancelAll: () => running.forEach((c) => c.abort()),
        runningCount: () => running.size,
      },
    };
  }
  return undefined;
}

/** Set by activate(): VS Code waits for deactivate's promise, so the last gallery change reaches disk. */
let flushOnExit: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
  return flushOnExit?.();
}
