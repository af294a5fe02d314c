// Which models can edit (PRODUCT.md §11, §13). The catalog's capability flag decides when it is
// known; until a model's capabilities are recorded, only the ones known not to edit are left out.
import type { ModelInfo } from './types';

/** Models whose provider refuses `/images/edits` (OpenAI's dall-e-3 among them). */
const KNOWN_NOT_EDITING = /^dall-e-3(?:-\d{4}-\d{2}-\d{2})?$/;

export function canEdit(model: Pick<ModelInfo, 'id'> & { capabilities?: { edits?: boolean } }): boolean {
  return model.capabilities?.edits ?? !KNOWN_NOT_EDITING.test(model.id);
}
