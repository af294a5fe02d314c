import * as vscode from 'vscode';
import type { WebviewDeps } from '../deps';
import { GeneratorPanel } from '../generator/generatorPanel';
import { formatBytes } from '../shared/format';
import {
  ThumbnailIndex,
  checkMessage,
  errorText,
  findItem,
  renderHtml,
  toItemView,
  webviewOptions,
} from '../webviewHost';
import { GALLERY_VIEW_ID } from './protocol';
import type {
  GalleryEvent,
  GalleryRequest,
  GalleryStrings,
  ItemActionMessage,
  ThumbnailMessage,
  ViewActionMessage,
} from './protocol';
import { galleryRequest, isThumbnailImage } from './schema';

/** Coalesces bursts of history changes (a generation of n images, a thumbnail per item) into one update. */
const UPDATE_DELAY_MS = 50;

function galleryStrings(): GalleryStrings {
  return {
    search: vscode.l10n.t('Search images'),
    searchPlaceholder: vscode.l10n.t('Search prompts'),
    countOne: vscode.l10n.t('1 image'),
    countMany: vscode.l10n.t('{0} images', '{0}'),
    countFiltered: vscode.l10n.t('{0} of {1} images', '{0}', '{1}'),
    empty: vscode.l10n.t('No images yet. Generated images appear here.'),
    noMatch: vscode.l10n.t('No images match the search.'),
    openGenerator: vscode.l10n.t('Open Image Generator'),
    clearAll: vscode.l10n.t('Clear All'),
    clearCache: vscode.l10n.t('Clear Cache'),
    list: vscode.l10n.t('Generated images'),
    insert: vscode.l10n.t('Insert'),
    copyMarkdown: vscode.l10n.t('Copy Markdown'),
    open: vscode.l10n.t('Open'),
    reveal: vscode.l10n.t('Reveal in Explorer'),
    reuse: vscode.l10n.t('Reuse Prompt'),
    regenerate: vscode.l10n.t('Regenerate'),
    edit: vscode.l10n.t('Edit'),
    delete: vscode.l10n.t('Delete'),
    notCached: vscode.l10n.t('No local copy'),
    rowLabel: vscode.l10n.t('{0}, {1}, {2}, {3}', '{0}', '{1}', '{2}', '{3}'),
    keyboardHint: vscode.l10n.t(
      'Arrow keys move between images, Enter inserts, Space shows a larger preview, Delete removes.',
    ),
    viewGrid: vscode.l10n.t('Show as a grid of large pictures'),
    viewList: vscode.l10n.t('Show as a list'),
    preview: vscode.l10n.t('Preview'),
    dragHint: vscode.l10n.t('Drag into an editor to insert the image there.'),
  };
}

/** The "Gallery" webview view in the Image Gen activity bar container. */
export class GalleryViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = GALLERY_VIEW_ID;

  private view: vscode.WebviewView | undefined;
  private ready = false;
  private initializing = false;
  private changedDuringInit = false;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly viewDisposables: vscode.Disposable[] = [];
  /** Thumbnails being stored, so a page that asks twice writes once. */
  private readonly storing = new Set<string>();
  private readonly thumbnails = new ThumbnailIndex();

  constructor(private readonly deps: WebviewDeps) {}

  /** The resolved view, if it was opened (for tests). */
  get webviewView(): vscode.WebviewView | undefined {
    return this.view;
  }

  get isReady(): boolean {
    return this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.deps);
    view.webview.html = renderHtml(view.webview, this.deps, 'gallery', vscode.l10n.t('Gallery'));
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = checkMessage(galleryRequest, raw, 'gallery', this.deps);
        if (message) void this.handle(message);
      }),
      view.onDidChangeVisibility(() => {
        // Not retained while hidden: the page says `ready` again when it comes back.
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
        }
        this.disposeView();
      }),
      this.deps.history.onDidChange(() => this.onHistoryChanged()),
    );
  }

  private post(message: GalleryEvent): Thenable<boolean> {
    return this.view ? this.view.webview.postMessage(message) : Promise.resolve(false);
  }

  /** Every item as the page sees it, after one look at which thumbnails are stored. */
  private async itemViews() {
    const items = this.deps.history.list();
    const thumbUris = items.flatMap((item) => {
      const uri = this.deps.history.cacheUri(item) && this.deps.history.thumbnailUri(item);
      return uri ? [uri] : [];
    });
    await this.thumbnails.refresh(thumbUris);
    const webview = this.view?.webview;
    if (!webview) return [];
    return this.deps.history.list().map((item) => toItemView(item, webview, this.deps, this.thumbnails));
  }

  private scheduleUpdate(): void {
    if (!this.ready || this.updateTimer) return;
    this.updateTimer = setTimeout(async () => {
      this.updateTimer = undefined;
      if (!this.ready) return;
      const items = await this.itemViews();
      if (this.ready) void this.post({ type: 'items', items });
    }, UPDATE_DELAY_MS);
  }

  private async handle(message: GalleryRequest): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.sendInit();
      case 'thumbnail':
        return this.storeThumbnail(message);
      case 'clearAll':
      case 'clearCache':
      case 'openGenerator':
        return this.viewAction(message);
      default:
        return this.itemAction(message);
    }
  }

  private async sendInit(): Promise<void> {
    this.ready = false;
    this.initializing = true;
    this.changedDuringInit = false;
    try {
      const items = await this.itemViews();
      await this.post({ type: 'init', strings: galleryStrings(), language: vscode.env.language, items });
      this.ready = true;
    } finally {
      this.initializing = false;
    }
    // A change while the list was being read would otherwise be lost, or arrive before `init`.
    if (this.changedDuringInit) this.scheduleUpdate();
  }

  private onHistoryChanged(): void {
    if (this.initializing) this.changedDuringInit = true;
    else this.scheduleUpdate();
  }

  private async storeThumbnail(message: ThumbnailMessage): Promise<void> {
    const item = findItem(this.deps, message.id);
    if (!item || !this.deps.history.cacheUri(item) || this.storing.has(item.id)) return;
    if (!isThumbnailImage(message.data)) {
      this.deps.log.warn(`Gallery: ignored a thumbnail for ${item.id} that is neither WebP nor PNG.`);
      return;
    }
    this.storing.add(item.id);
    try {
      await this.deps.history.saveThumbnail(item.id, message.data);
      const uri = this.deps.history.thumbnailUri(item);
      if (uri) this.thumbnails.add(uri);
      if (uri && this.view)
        await this.post({
          type: 'thumbnailStored',
          id: item.id,
          thumb: this.view.webview.asWebviewUri(uri).toString(),
        });
    } catch (e) {
      this.deps.log.warn(`Gallery: could not store the thumbnail of ${item.id}: ${errorText(e)}`);
    } finally {
      this.storing.delete(item.id);
    }
  }

  private async itemAction(message: ItemActionMessage): Promise<void> {
    const reply = (ok: boolean, text?: string) =>
      this.post({ type: 'reply', requestId: message.requestId, ok, message: text });
    const item = findItem(this.deps, message.id);
    if (!item) {
      this.deps.log.warn(`Gallery: no item ${message.id} (deleted meanwhile?)`);
      await reply(false, vscode.l10n.t('This image is no longer in the gallery.'));
      return;
    }
    try {
      switch (message.type) {
        case 'insert': {
          const ok = await this.deps.insert(item, 'default', undefined);
          return void (await reply(ok, ok ? vscode.l10n.t('Image inserted.') : undefined));
        }
        case 'copyMarkdown': {
          const text = await this.deps.snippet(item, undefined);
          if (text === undefined) return void (await reply(false));
          await this.deps.ui.copy(text);
          return void (await reply(true, vscode.l10n.t('Copied to the clipboard.')));
        }
        case 'open':
          await this.deps.open(item);
          return void (await reply(true));
        case 'reveal':
          await this.deps.reveal(item);
          return void (await reply(true));
        case 'reuse':
          await GeneratorPanel.reviveRestoredTab();
          GeneratorPanel.createOrShow(this.deps, {
            prompt: item.prompt,
            model: item.model,
            size: item.size,
            targetDocument: vscode.window.activeTextEditor?.document.uri,
          });
          return void (await reply(true));
        case 'regenerate': {
          await reply(true, vscode.l10n.t('Regenerating…'));
          const error = await this.deps.regenerate(item);
          return void (await this.post({ type: 'regenerateDone', id: item.id, ok: !error, error }));
        }
        case 'edit':
          await reply(true);
          await this.deps.editItem(item);
          return;
        case 'delete':
          await this.deps.history.remove(item.id);
          await reply(true, vscode.l10n.t('Image deleted.'));
          this.offerUndo(vscode.l10n.t('Image deleted.'), () => this.deps.history.restore([item.id]));
          return;
      }
    } catch (e) {
      this.deps.log.error(`Gallery: ${message.type} failed: ${errorText(e)}`);
      await reply(false);
    }
  }

  private async viewAction(message: ViewActionMessage): Promise<void> {
    const reply = (ok: boolean, text?: string) =>
      this.post({ type: 'reply', requestId: message.requestId, ok, message: text });
    try {
      switch (message.type) {
        case 'openGenerator':
          await GeneratorPanel.reviveRestoredTab();
          GeneratorPanel.createOrShow(this.deps, {
            targetDocument: vscode.window.activeTextEditor?.document.uri,
          });
          return void (await reply(true));
        case 'clearAll': {
          const count = this.deps.history.list().length;
          if (count === 0) return void (await reply(true));
          const confirmed = await this.deps.ui.confirm(
            count === 1
              ? vscode.l10n.t('Delete the image from the gallery?')
              : vscode.l10n.t('Delete all {0} images from the gallery?', count),
            vscode.l10n.t('Clear All'),
            vscode.l10n.t('Their cached copies are deleted too. Files saved in your workspace are kept.'),
          );
          if (!confirmed) return void (await reply(false));
          await this.deps.history.clear();
          return void (await reply(true, vscode.l10n.t('Gallery cleared.')));
        }
        case 'clearCache': {
          const freed = await this.deps.history.clearCache();
          const text =
            freed > 0
              ? vscode.l10n.t('Freed {0} from the image cache.', formatBytes(freed, vscode.env.language))
              : vscode.l10n.t('The image cache was already empty.');
          await reply(true, text);
          if (freed > 0) this.offerUndo(text, () => this.deps.history.undoClearCache());
          else void this.deps.ui.info(text);
          return;
        }
      }
    } catch (e) {
      this.deps.log.error(`Gallery: ${message.type} failed: ${errorText(e)}`);
      await reply(false);
    }
  }

  /** Shows what was done with an Undo button; the choice can come long after, so nothing waits on it. */
  private offerUndo(text: string, undo: () => Promise<number>): void {
    void (async () => {
      const choice = await this.deps.ui.info(text, { id: 'undo', title: vscode.l10n.t('Undo') });
      if (choice !== 'undo') return;
      try {
        await undo();
      } catch (e) {
        this.deps.log.error(`Gallery: undo failed: ${errorText(e)}`);
      }
    })();
  }

  private disposeView(): void {
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
    while (this.viewDisposables.length) this.viewDisposables.pop()?.dispose();
  }

  dispose(): void {
    this.disposeView();
    this.view = undefined;
  }
}
