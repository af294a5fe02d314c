import type { EditFlow } from '../app/editImage';
import type { ImageLinkActions } from '../app/imageLinkActions';
import type { Command } from './command';

/** Edit Image…, and the CodeLens actions on image links: Regenerate, Show prompt (PRODUCT.md §11). */
export function editCommands(flow: EditFlow, actions: ImageLinkActions): Command[] {
  return [
    { id: 'imageGen.editImage', execute: (arg?: unknown) => flow.run(arg) },
    { id: 'imageGen.regenerateImage', execute: (arg?: unknown) => actions.regenerate(arg) },
    { id: 'imageGen.showImagePrompt', execute: (arg?: unknown) => actions.showPrompt(arg) },
  ];
}
