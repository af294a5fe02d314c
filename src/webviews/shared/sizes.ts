// Size strings (`WIDTHxHEIGHT`). Pure: used by the host and bundled into the generator page.

/** Same rule as the `imageGen.defaultSize` setting's pattern. */
export const SIZE_PATTERN = /^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$/;

/** The common sizes from the API documentation, offered when a model lists none. */
export const COMMON_SIZES: readonly string[] = [
  '1024x1024',
  '720x1280',
  '1280x720',
  '1024x1792',
  '1792x1024',
];

/** Tolerates what people type (`1024 × 768`, `1024X768`) and returns the canonical form, or undefined. */
export function normalizeSize(text: string): string | undefined {
  const s = text.trim().replace(/\s+/g, '').replace(/[×X*]/g, 'x');
  return SIZE_PATTERN.test(s) ? s : undefined;
}

export function isValidSize(text: string): boolean {
  return normalizeSize(text) !== undefined;
}

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
