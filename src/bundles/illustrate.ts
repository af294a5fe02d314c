// Lazy bundle dist/lazy/illustrate.js: Illustrate Document, loaded on its first run.
import { IllustrateDocument } from '../app/illustrate';
import { HistoryReferenceEditing } from '../app/referenceEditing';
import type { Command } from '../commands/command';
import { GenerateQuestions } from '../commands/generateQuestions';
import { IllustrateCommand, illustrateCommand } from '../commands/illustrate';
import { ChatDrafter } from '../services/chatDrafter';
import type { Engine } from './engine';
import type { ActivationServices } from './services';

export function createIllustrate(s: ActivationServices, e: Engine): Command[] {
  const { config, history, ui, log } = s;
  const { generator, placer, tracker, presenter, runner, catalog } = e;
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
  const flow = new IllustrateCommand({
    config,
    catalog,
    placer,
    illustrate,
    drafter: new ChatDrafter(log),
    pickers: new GenerateQuestions({ catalog, ui, state: s.context.globalState }),
    ui,
    log,
    state: s.context.globalState,
  });
  return [illustrateCommand(flow)];
}
