// Validation of everything the gallery page sends. No `vscode` import.
import { bytes, int, itemId, literal, object, optional, requestId, str, tagged } from '../validate';
import type { Validator } from '../validate';
import { MAX_QUERY_LENGTH, MAX_THUMBNAIL_BYTES } from './protocol';
import type { GalleryItemAction, GalleryRequest } from './protocol';

const itemAction = <T extends GalleryItemAction>(type: T) =>
  object({ type: literal(type), requestId, id: itemId });
const query = str({ max: MAX_QUERY_LENGTH });
/** An index among the items; a window larger than MAX_WINDOW_ITEMS is cut by the host. */
const index = int({ min: 0 });
const viewAction = <T extends 'clearAll' | 'clearCache' | 'openGenerator'>(type: T) =>
  object({ type: literal(type), requestId });

export const galleryRequest: Validator<GalleryRequest> = tagged({
  ready: object({
    type: literal('ready'),
    query: optional(query),
    start: optional(index),
    end: optional(index),
  }),
  window: object({ type: literal('window'), query, start: index, end: index }),
  insert: itemAction('insert'),
  copyMarkdown: itemAction('copyMarkdown'),
  open: itemAction('open'),
  reveal: itemAction('reveal'),
  reuse: itemAction('reuse'),
  regenerate: itemAction('regenerate'),
  edit: itemAction('edit'),
  delete: itemAction('delete'),
  clearAll: viewAction('clearAll'),
  clearCache: viewAction('clearCache'),
  openGenerator: viewAction('openGenerator'),
  thumbnail: object({
    type: literal('thumbnail'),
    id: itemId,
    data: bytes({ min: 12, max: MAX_THUMBNAIL_BYTES }),
  }),
});

/** Only image bytes are stored: WebP (RIFF….WEBP) or PNG, as the page's canvas encodes them. */
export function isThumbnailImage(data: Uint8Array): boolean {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => data[i] === b)) return true;
  const ascii = (from: number, to: number) => String.fromCharCode(...data.subarray(from, to));
  return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP';
}
