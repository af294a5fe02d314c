// Which models can edit (PRODUCT.md §11, §13): the model's own capability flag when it has one,
// else the built-in catalog's (`core/capabilities.ts`).
import { builtinCapabilities } from './capabilities';
import type { ModelInfo } from './types';

type EditsKnown = Pick<ModelInfo, 'id'> & { capabilities?: { edits?: boolean } };

const editsFlag = (model: EditsKnown): boolean | undefined =>
  model.capabilities?.edits ?? builtinCapabilities(model.id)?.edits;

/**
 * Whether Edit Image may try this model: all but the ones known not to edit (dall-e-3), since the
 * user asked for it and an unknown gateway model may well edit; the provider's refusal is shown.
 */
export function canEdit(model: EditsKnown): boolean {
  return editsFlag(model) ?? true;
}

/** Whether the model is known to edit: for what Image Gen offers on its own (Illustrate's reference). */
export function knownToEdit(model: EditsKnown): boolean {
  return editsFlag(model) === true;
}
