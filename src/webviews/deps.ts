import type * as vscode from 'vscode';
import type { HistoryChange, HistoryItem } from '../core/history';
import type { PartialImage } from '../core/imageStream';
import type { SnippetLanguage } from '../core/snippets';
import type { DownloadProblem, ModelInfo } from '../core/types';
import type { UserInterface } from '../services/ui';
import type { PanelEditRequest } from './generator/panelEdit';

/** How an item is inserted: as a saved workspace file, as its remote URL, or as `imageGen.insertAs` says. */
export type InsertMode = 'file' | 'url' | 'default';

export interface WebviewCatalog {
  models: readonly ModelInfo[];
  defaultModel: string;
  defaultSize: string;
  /** Default image count (`imageGen.count`). */
  count: number;
}

export interface GalleryHistory {
  /** Newest first. May be empty until loaded; `onDidChange` fires then. */
  list(): readonly HistoryItem[];
  /** Resolves once the items are loaded (`list()` then holds them). */
  ready(): Promise<void>;
  /**
   * Fires when items are added, removed or changed; `grew` promises that no item and no file a
   * page was shown went away. Need not fire for `saveThumbnail`.
   */
  onDidChange: vscode.Event<HistoryChange>;
  /** Deletes the record; its cached image and thumbnail are kept in the trash for `restore`. */
  remove(id: string): Promise<void>;
  /** Undo of `remove`: brings the items back with their files; resolves to how many came back. */
  restore(ids: readonly string[]): Promise<number>;
  clear(): Promise<void>;
  /** The cached image, when there is one. */
  cacheUri(item: HistoryItem): vscode.Uri | undefined;
  /** Where the thumbnail is or would be stored; the page falls back to the image when it does not load. */
  thumbnailUri(item: HistoryItem): vscode.Uri | undefined;
  /** Stores thumbnail bytes (WebP or PNG, already checked) made by the page for this item. */
  saveThumbnail(id: string, bytes: Uint8Array): Promise<void>;
  /**
   * Deletes cached images and thumbnails of all items (records stay; images still saved in the
   * workspace are copied back); resolves to the bytes freed. Undone by `undoClearCache`.
   */
  clearCache(): Promise<number>;
  undoClearCache(): Promise<number>;
}

export interface LocalFiles {
  readBytes(uri: vscode.Uri): Thenable<Uint8Array>;
  /** Whether a file (not a folder) is there; false when it cannot be looked at. */
  isFile(uri: vscode.Uri): Promise<boolean>;
}

/**
 * Everything the webviews need from the rest of the extension, injected by extension.ts.
 * Nothing here can hand a secret to a page: the pages only ever see `ItemView`s.
 */
export interface WebviewDeps {
  extensionUri: vscode.Uri;
  /** The image cache folders (cached images, thumbnails): the pages' only `localResourceRoots` besides dist. */
  cacheDirs: readonly vscode.Uri[];
  /** Reads of the extension's own files and the cache (services/localFiles.ts). */
  files: LocalFiles;
  history: GalleryHistory;
  catalog(): Promise<WebviewCatalog>;
  /**
   * Generates into the gallery without inserting anything. Resolves to the new items, or to
   * undefined when it failed or was cancelled (a failure has already been shown to the user, and
   * `onFailure` gets the same sentence, for the page to show next to its button). `extra` holds
   * the panel's option choices; `onPartial` gets each partial image of a streamed generation.
   */
  generate(
    request: { prompt: string; model: string; size: string; n: number; extra?: Record<string, unknown> },
    signal: AbortSignal,
    onProgress: (done: number, total: number) => void,
    onFailure?: (reason: string) => void,
    onPartial?: (partial: PartialImage) => void,
  ): Promise<readonly HistoryItem[] | undefined>;
  /**
   * Inserts the item at the cursor of `target` (the last active text editor when undefined).
   * Resolves false when nothing was inserted (the reason has been shown to the user).
   */
  insert(item: HistoryItem, mode: InsertMode, target: vscode.Uri | undefined): Promise<boolean>;
  /** The snippet that Insert would put into `target` (or the last active editor), for Copy Markdown. */
  snippet(item: HistoryItem, target: vscode.Uri | undefined): Promise<string | undefined>;
  /** Edits the request's first image (PRODUCT.md §11) into the gallery; undefined when it failed (already shown, and given to `onFailure`). */
  edit(
    request: PanelEditRequest,
    signal: AbortSignal,
    onFailure?: (reason: string) => void,
  ): Promise<readonly HistoryItem[] | undefined>;
  /** Edit Image… on this item (PRODUCT.md §11): asks for the change, links the result like the command. */
  editItem(item: HistoryItem): Promise<void>;
  /**
   * Drag and drop: saves the item into the workspace as Insert as file does (its URL when no copy
   * is left) and returns the snippet for `document`, without inserting it; undefined when nothing
   * can be linked (the reason has been shown).
   */
  dropSnippet(
    item: HistoryItem,
    document: vscode.TextDocument,
  ): Promise<{ text: string; language: SnippetLanguage } | undefined>;
  /**
   * Generates again with the item's prompt, model and size (gallery only, with its own progress).
   * Resolves to the reason it failed, as the notification said it; undefined when it worked or was cancelled.
   */
  regenerate(item: HistoryItem): Promise<string | undefined>;
  /** Opens the saved workspace file, else the cached image, else the remote URL. */
  open(item: HistoryItem): Promise<void>;
  /** Reveals the (first existing) saved workspace file in the Explorer. */
  reveal(item: HistoryItem): Promise<void>;
  ui: UserInterface;
  log: { warn(message: string): void; error(message: string): void };
  /** Why an image has no local copy, in the words the notifications use. */
  downloadReason(problem: DownloadProblem): string;
}
