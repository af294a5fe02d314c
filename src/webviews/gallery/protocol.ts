// Messages between the gallery view (host, galleryView.ts) and its page
// (webview-src/gallery/main.ts). Types only: the host validates every page message with schema.ts.
import type { ItemView } from '../shared/itemView';

export const GALLERY_VIEW_ID = 'imageGen.gallery';

/** Largest thumbnail the host accepts from the page. */
export const MAX_THUMBNAIL_BYTES = 256 * 1024;
/** Longest side of a thumbnail in pixels. */
export const THUMBNAIL_SIZE = 96;

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

export type GalleryItemAction =
  'insert' | 'copyMarkdown' | 'open' | 'reveal' | 'reuse' | 'regenerate' | 'edit' | 'delete';

// Page → host.

export interface ReadyMessage {
  type: 'ready';
}
export interface ItemActionMessage {
  type: GalleryItemAction;
  requestId: number;
  id: string;
}
export interface ViewActionMessage {
  type: 'clearAll' | 'clearCache' | 'openGenerator';
  requestId: number;
}
/** A thumbnail the page made (webp or png bytes) for the host to store; the page names the item only. */
export interface ThumbnailMessage {
  type: 'thumbnail';
  id: string;
  data: Uint8Array;
}

export type GalleryRequest = ReadyMessage | ItemActionMessage | ViewActionMessage | ThumbnailMessage;

// Host → page.

export interface InitMessage {
  type: 'init';
  strings: GalleryStrings;
  language: string;
  /** Every item, newest first. */
  items: ItemView[];
}
export interface ItemsMessage {
  type: 'items';
  items: ItemView[];
}
/** A stored thumbnail is now available for this item. */
export interface ThumbnailStoredMessage {
  type: 'thumbnailStored';
  id: string;
  thumb: string;
}
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  ok: boolean;
  message?: string;
}

/** A regeneration started from the gallery ended; `error` is the notification's reason when it failed. */
export interface RegenerateDoneMessage {
  type: 'regenerateDone';
  id: string;
  ok: boolean;
  error?: string;
}

export type GalleryEvent =
  InitMessage | ItemsMessage | ThumbnailStoredMessage | ReplyMessage | RegenerateDoneMessage;
