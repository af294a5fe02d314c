// Lazy bundle dist/lazy/engine.js: everything a paid request needs (catalog, client, runner, saving
// and inserting) and the commands that are nothing more. Loaded once, on the first command, view or
// tool that needs it; every other lazy bundle is handed this one instance.
import { GenerationRunner } from '../app/generationRunner';
import { clearApiKeyCommand, setApiKeyCommand } from '../commands/apiKey';
import type { Command } from '../commands/command';
import { GenerateFlow, generateCommands } from '../commands/generate';
import { testConnectionCommand } from '../commands/testConnection';
import { AnchorTracker } from '../services/anchorTracker';
import { BalanceService } from '../services/balance';
import { CatalogService } from '../services/catalogService';
import { DocumentInserter } from '../services/documentInserter';
import { ErrorPresenter } from '../services/errorPresenter';
import { nodeFetch } from '../services/http';
import { ImageGenerator } from '../services/imageGenerator';
import { ImagePlacer } from '../services/imagePlacer';
import { ImageSaver } from '../services/imageSaver';
import { GenerationPlaceholders } from '../services/placeholders';
import { ProgressNotifications } from '../services/progressNotifications';
import { ProvenanceFiles } from '../services/provenanceFiles';
import type { ActivationServices } from './services';

export function createEngine(s: ActivationServices) {
  const { add, config, keys, keyPrompt, gate, history, ui, log, status } = s;
  const fetch = nodeFetch;
  const mayUseKeyFor = (origin: string) => gate.allowed(origin);
  const catalog = new CatalogService({ config, keys, fetch, log, mayUseKeyFor });
  add(config.onDidChange(() => catalog.invalidate()));
  const balance = add(new BalanceService({ config, keys, fetch, log, ui, mayUseKeyFor }));
  add(config.onDidChange(() => balance.reset()));
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
  const placer = new ImagePlacer({ config, saver, inserter, placeholders, history, ui });

  const flow = new GenerateFlow({
    config,
    catalog,
    runner,
    placer,
    tracker,
    ui,
    log,
    state: s.context.globalState,
    openGenerator: s.openGenerator,
  });
  const commands: Command[] = [
    ...generateCommands(flow),
    setApiKeyCommand({ config, keys, keyPrompt, ui, log }),
    clearApiKeyCommand({ config, keys, keyPrompt, ui, log }),
    testConnectionCommand({ config, generator, presenter, ui, log, fetch }),
    { id: 'imageGen.showBalance', execute: () => balance.show() },
  ];
  return {
    placeholders,
    catalog,
    balance,
    generator,
    presenter,
    tracker,
    runner,
    provenance,
    saver,
    inserter,
    placer,
    commands,
  };
}

export type Engine = ReturnType<typeof createEngine>;
