// Size strings (`WIDTHxHEIGHT`). Pure: used by the host and bundled into the generator page.
// One size rule for the commands and the panel: the core's.
import { COMMON_SIZES, normalizeSize } from '../../core/catalog';

export { normalizeSize };

/** The sizes to suggest for a model: its own list, else the common sizes. */
export function sizesForModel(modelSizes: readonly string[] | undefined): readonly string[] {
  return modelSizes && modelSizes.length > 0 ? modelSizes : COMMON_SIZES;
}

/**
 * The size to keep after the model changed: the current one if the new model allows it (any size
 * when the model lists none), else the preferred default when allowed, else the model's first size.
 */
export function sizeAfterModelChange(
  current: string,
  modelSizes: readonly string[] | undefined,
  preferred: string,
): string {
  if (!modelSizes || modelSizes.length === 0) return current;
  if (modelSizes.includes(current)) return current;
  return modelSizes.includes(preferred) ? preferred : modelSizes[0];
}
