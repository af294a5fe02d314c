// Messages between the gallery view (host, galleryView.ts) and its page (webview-src/gallery/main.ts),
// each declared once: the page's in `galleryInbound` (type, validator and the host's handler map
// all come from it), the host's in `GalleryEvents`. A new item action is one entry here, one
// handler in galleryView.ts and one button in webview-src/gallery/rows.ts.
import { notice, request, validatorOf } from '../kernel/messages';
import type { EventOf, EventsOf, MessageOf, MessagesOf, RequestTypes } from '../kernel/messages';
import type { ItemView } from '../shared/itemView';
import { bytes, int, itemId, optional, str } from '../validate';
import { MAX_QUERY_LENGTH, MAX_THUMBNAIL_BYTES } from './limits';

export const GALLERY_VIEW_ID = 'imageGen.gallery';

export { MAX_QUERY_LENGTH, MAX_THUMBNAIL_BYTES, MAX_WINDOW_ITEMS, THUMBNAIL_SIZE } from './limits';

/** Localized on the host with `vscode.l10n.t`; `{0}`-style placeholders are filled in the page. */
export interface GalleryStrings {
  search: string;
  searchPlaceholder: string;
  countOne: string;
  /** `{0}` = count. */
  countMany: string;
  /** `{0}` shown, `{1}` all. */
  countFiltered: string;
  empty: string;
  noMatch: string;
  openGenerator: string;
  clearAll: string;
  clearCache: string;
  list: string;
  insert: string;
  copyMarkdown: string;
  open: string;
  reveal: string;
  reuse: string;
  regenerate: string;
  edit: string;
  delete: string;
  notCached: string;
  /** Screen-reader description of a row: `{0}` prompt, `{1}` model, `{2}` size, `{3}` time. */
  rowLabel: string;
  keyboardHint: string;
  viewGrid: string;
  viewList: string;
  preview: string;
  dragHint: string;
}

const query = str({ max: MAX_QUERY_LENGTH });
/** An index among the items; a window larger than MAX_WINDOW_ITEMS is cut by the host. */
const index = int({ min: 0 });
const onItem = { id: itemId };

/** Page → host. */
export const galleryInbound = {
  /**
   * The page is there; when it knows its search and where it was scrolled, it names the window of
   * items its first screen shows (`start` to `end`, indexes among the items matching `query`).
   */
  ready: notice({ query: optional(query), start: optional(index), end: optional(index) }),
  /**
   * The page needs items `start` to `end` (exclusive) of those matching `query`, newest first:
   * a new search, or rows scrolled into view that it has not been sent yet.
   */
  window: notice({ query, start: index, end: index }),
  /** A thumbnail the page made (webp or png bytes) for the host to store; the page names the item only. */
  thumbnail: notice({ id: itemId, data: bytes({ min: 12, max: MAX_THUMBNAIL_BYTES }) }),
  insert: request(onItem),
  copyMarkdown: request(onItem),
  open: request(onItem),
  reveal: request(onItem),
  reuse: request(onItem),
  regenerate: request(onItem),
  edit: request(onItem),
  delete: request(onItem),
  clearAll: request({}),
  clearCache: request({}),
  openGenerator: request({}),
};
export type GalleryInbound = typeof galleryInbound;
export type GalleryRequest = MessagesOf<GalleryInbound>;
export const galleryRequest = validatorOf(galleryInbound);

/** The actions on one item (a row's buttons and keys). */
export type GalleryViewAction = 'clearAll' | 'clearCache' | 'openGenerator';
export type GalleryItemAction = Exclude<RequestTypes<GalleryInbound>, GalleryViewAction>;
export type ReadyMessage = MessageOf<GalleryInbound, 'ready'>;
export type WindowRequest = MessageOf<GalleryInbound, 'window'>;
export type ThumbnailMessage = MessageOf<GalleryInbound, 'thumbnail'>;

/**
 * Some of the items matching `query`: never the whole history, only what the page shows (the host
 * builds an item's view, with its webview URIs, only when it is sent).
 */
export interface ItemWindow {
  query: string;
  /** Items matching `query`. */
  total: number;
  /** Items in the gallery. */
  all: number;
  /** Index of `items[0]` among the matches. */
  start: number;
  items: ItemView[];
  /**
   * Goes up when the history changes: a window of another version replaces whatever the page
   * holds (the host sends the page's last window again after every change).
   */
  version: number;
}

/** Host → page (besides the kernel's `reply`). */
export interface GalleryEvents {
  init: { strings: GalleryStrings; language: string; window: ItemWindow };
  window: ItemWindow;
  /** A stored thumbnail is now available for this item. */
  thumbnailStored: { id: string; thumb: string };
  /** A regeneration started from the gallery ended; `error` is the notification's reason when it failed. */
  regenerateDone: { id: string; ok: boolean; error?: string };
}
export type GalleryEvent = EventsOf<GalleryEvents>;
export type InitMessage = EventOf<GalleryEvents, 'init'>;
