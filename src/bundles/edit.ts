// Lazy bundle dist/lazy/edit.js: Edit Image… and the image links' CodeLens actions (Regenerate,
// Show prompt), loaded on the first of them.
import { EditFlow } from '../app/editImage';
import { ImageLinkActions } from '../app/imageLinkActions';
import type { Command } from '../commands/command';
import { editCommands } from '../commands/editImage';
import type { Engine } from './engine';
import type { ActivationServices } from './services';

export function createEdit(s: ActivationServices, e: Engine): Command[] {
  const { config, history, ui, log } = s;
  const { catalog, runner, saver, placer, inserter, tracker, provenance, presenter } = e;
  const flow = new EditFlow({
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
  const actions = new ImageLinkActions({ config, runner, placer, tracker, provenance, ui });
  return editCommands(flow, actions);
}
