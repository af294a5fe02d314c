import * as vscode from 'vscode';
import type { HistoryChange, HistoryItem } from '../../core/history';
import type { WebviewDeps } from '../deps';
import { GeneratorPanel } from '../generator/generatorPanel';
import { WebviewHost } from '../kernel/host';
import type { Handlers } from '../kernel/host';
import type { Reply } from '../kernel/messages';
import { formatBytes } from '../shared/format';
import { PageAssets, ThumbnailIndex, errorText, findItem, webviewOptions } from '../webviewHost';
import type { PageContent } from '../webviewHost';
import { GalleryPager } from './paging';
import { GALLERY_VIEW_ID, MAX_QUERY_LENGTH, galleryInbound } from './protocol';
import type {
  GalleryEvents,
  GalleryInbound,
  GalleryStrings,
  InitMessage,
  ThumbnailMessage,
} from './protocol';
import { isThumbnailImage } from './thumbnailImage';

/** Coalesces bursts of history changes (a generation of n images, a thumbnail per item) into one update. */
const UPDATE_DELAY_MS = 50;
/**
 * A hidden view's HTML is rendered again this long after the history last grew, so a generation
 * (an item added, then its saved file) costs one render after the link is in, not one per change
 * while the link is being inserted. A view shown sooner loads the older HTML and its `ready` brings
 * it up to date.
 */
const HIDDEN_UPDATE_DELAY_MS = 1500;

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

/** The search the page saved (VS Code hands its state to the provider), when it is one. */
function savedQuery(state: unknown): string {
  const query = (state as { query?: unknown } | undefined)?.query;
  return typeof query === 'string' && query.length <= MAX_QUERY_LENGTH ? query : '';
}

/** The "Gallery" webview view in the Image Gen activity bar container. */
export class GalleryViewProvider
  extends WebviewHost<GalleryInbound, GalleryEvents>
  implements vscode.WebviewViewProvider
{
  static readonly viewId = GALLERY_VIEW_ID;

  private view: vscode.WebviewView | undefined;
  private changedDuringInit = false;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  /** The pending hidden render is an immediate one (the HTML may name what is gone). */
  private hiddenUrgent = false;
  /** Counts hidden renders begun, so one that finishes after a later one is dropped. */
  private hiddenRenders = 0;
  /** Thumbnails being stored, so a page that asks twice writes once. */
  private readonly storing = new Set<string>();
  private readonly thumbnails: ThumbnailIndex;
  private readonly pager: GalleryPager;
  private readonly assets: PageAssets;
  /** The search the page shows, for the window sent again after a history change. */
  private query = '';

  constructor(deps: WebviewDeps) {
    super(deps, 'gallery', 'Gallery', galleryInbound);
    this.thumbnails = new ThumbnailIndex(deps.files);
    this.pager = new GalleryPager(deps, this.thumbnails);
    this.assets = new PageAssets(deps, 'gallery');
    this._register(deps.history.onDidChange((change) => this.onHistoryChanged(change)));
    this._register({ dispose: () => this.stopUpdates() });
  }

  /** The resolved view, if it was opened (for tests). */
  get webviewView(): vscode.WebviewView | undefined {
    return this.view;
  }

  /**
   * The HTML carries the first screen (items, strings, script and styles), so the page paints it
   * without fetching anything or waiting for the `ready` → `init` round trip; `ready` still follows,
   * and its `init` brings whatever changed meanwhile.
   */
  async resolveWebviewView(
    view: vscode.WebviewView,
    context?: vscode.WebviewViewResolveContext,
  ): Promise<void> {
    this.stopUpdates();
    this.view = view;
    view.webview.options = webviewOptions(this.deps);
    this.query = savedQuery(context?.state);
    const page = await this.page(view.webview);
    if (this.view !== view) return;
    this.attach(
      view.webview,
      page,
      // Not retained while hidden: the page loads the HTML again (and says `ready`) when it comes back.
      view.onDidChangeVisibility(() => {
        if (view.visible) return;
        this.pageGone();
        this.scheduleHiddenUpdate(true);
      }),
      view.onDidDispose(() => {
        if (this.view !== view) return;
        this.view = undefined;
        this.stopUpdates();
        this.detach();
      }),
    );
  }

  /** The page's HTML with its first screen as the page would ask for it now (its last search and window). */
  private async page(webview: vscode.Webview): Promise<PageContent> {
    const title = vscode.l10n.t('Gallery');
    try {
      await this.deps.history.ready();
      const [inline, window] = await Promise.all([
        this.assets.inline(webview),
        this.pager.firstScreen(webview, this.query),
      ]);
      const init: InitMessage = { type: 'init', ...this.initFields(), window };
      return { title, inline, initData: init };
    } catch (e) {
      // The page still asks with `ready` and renders from the answer.
      this.deps.log.warn(`Gallery: the first screen is not in the page: ${errorText(e)}`);
      return { title };
    }
  }

  private initFields() {
    return { strings: galleryStrings(), language: vscode.env.language };
  }

  protected readonly handlers: Handlers<GalleryInbound, GalleryEvents> = {
    // The first screen only: the rest comes a window at a time as the page scrolls or searches.
    ready: async (message) => {
      this.changedDuringInit = false;
      this.query = message.query ?? '';
      const window = await this.pager.window(this.webviewOrThrow(), this.query, message.start, message.end);
      return { type: 'init', ...this.initFields(), window };
    },
    // Also before the handshake ends (a page painted from its HTML asks at once): the answer
    // then follows its `init`.
    window: async (message) => {
      const webview = this.currentWebview;
      if (!webview) return;
      this.query = message.query;
      const window = await this.pager.window(webview, message.query, message.start, message.end);
      void this.post({ type: 'window', ...window });
    },
    thumbnail: (message) => this.storeThumbnail(message),
    insert: (m) =>
      this.withItem(m.id, async (item) => {
        const ok = await this.deps.insert(item, 'default', undefined);
        return { ok, message: ok ? vscode.l10n.t('Image inserted.') : undefined };
      }),
    copyMarkdown: (m) =>
      this.withItem(m.id, async (item) => {
        const text = await this.deps.snippet(item, undefined);
        if (text === undefined) return { ok: false };
        await this.deps.ui.copy(text);
        return { ok: true, message: vscode.l10n.t('Copied to the clipboard.') };
      }),
    open: (m) => this.withItem(m.id, async (item) => (await this.deps.open(item), { ok: true })),
    reveal: (m) => this.withItem(m.id, async (item) => (await this.deps.reveal(item), { ok: true })),
    reuse: (m) =>
      this.withItem(m.id, async (item) => {
        await GeneratorPanel.reviveRestoredTab();
        GeneratorPanel.createOrShow(this.deps, {
          prompt: item.prompt,
          model: item.model,
          size: item.size,
          targetDocument: vscode.window.activeTextEditor?.document.uri,
        });
        return { ok: true };
      }),
    regenerate: (m) =>
      this.withItem(m.id, async (item) => {
        this.later('regenerate', () => this.regenerate(item));
        return { ok: true, message: vscode.l10n.t('Regenerating…') };
      }),
    edit: (m) =>
      this.withItem(m.id, async (item) => {
        this.later('edit', () => this.deps.editItem(item));
        return { ok: true };
      }),
    delete: (m) =>
      this.withItem(m.id, async (item) => {
        await this.deps.history.remove(item.id);
        this.offerUndo(vscode.l10n.t('Image deleted.'), () => this.deps.history.restore([item.id]));
        return { ok: true, message: vscode.l10n.t('Image deleted.') };
      }),
    openGenerator: async () => {
      await GeneratorPanel.reviveRestoredTab();
      GeneratorPanel.createOrShow(this.deps, {
        targetDocument: vscode.window.activeTextEditor?.document.uri,
      });
      return { ok: true };
    },
    clearAll: () => this.clearAll(),
    clearCache: () => this.clearCache(),
  };

  private webviewOrThrow(): vscode.Webview {
    const webview = this.currentWebview;
    if (!webview) throw new Error('the view is gone');
    return webview;
  }

  /** A change while the list was being read would otherwise be lost, or arrive before `init`. */
  protected override afterReady(): void {
    if (this.changedDuringInit) this.scheduleUpdate();
  }

  private scheduleUpdate(): void {
    if (!this.isReady || this.updateTimer) return;
    this.updateTimer = setTimeout(async () => {
      this.updateTimer = undefined;
      const webview = this.currentWebview;
      if (!this.isReady || !webview) return;
      const window = await this.pager.window(webview, this.query);
      void this.postIfReady({ type: 'window', ...window });
    }, UPDATE_DELAY_MS);
  }

  /**
   * A hidden view's HTML is rendered again (as it hides, and after changes), so it comes back
   * current: at once when `urgent`, else once the changes stop (each one pushes it back). A pending
   * urgent render is never pushed back.
   */
  private scheduleHiddenUpdate(urgent: boolean): void {
    if (!this.view || this.view.visible) return;
    if (this.hiddenTimer) {
      if (this.hiddenUrgent) return;
      clearTimeout(this.hiddenTimer);
    }
    this.hiddenUrgent = urgent;
    this.hiddenTimer = setTimeout(
      async () => {
        this.hiddenTimer = undefined;
        const view = this.view;
        const webview = this.currentWebview;
        if (!view || !webview || view.visible) return;
        const render = ++this.hiddenRenders;
        const page = await this.page(webview);
        if (render !== this.hiddenRenders) return;
        // Shown meanwhile: the page is loading (or loaded) and its `ready` brings it up to date.
        if (this.view === view && this.currentWebview === webview && !view.visible)
          this.render(webview, page);
      },
      urgent ? 0 : HIDDEN_UPDATE_DELAY_MS,
    );
  }

  private stopUpdates(): void {
    if (this.updateTimer) clearTimeout(this.updateTimer);
    if (this.hiddenTimer) clearTimeout(this.hiddenTimer);
    this.updateTimer = undefined;
    this.hiddenTimer = undefined;
  }

  private onHistoryChanged(change: HistoryChange): void {
    this.pager.invalidate(change);
    if (this.isHandshaking) this.changedDuringInit = true;
    else if (this.view && !this.view.visible)
      // After a removal at once, so the HTML never names a file that is gone; after items were only
      // added or updated (a generation), once the changes stop, off the path of the link being
      // inserted. Never when the view comes back (VS Code would load the page twice): a view shown
      // before the render shows what was, all of it still there, until its `init` arrives.
      this.scheduleHiddenUpdate(change === 'changed');
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
      const webview = this.currentWebview;
      if (uri && webview)
        await this.post({
          type: 'thumbnailStored',
          id: item.id,
          thumb: webview.asWebviewUri(uri).toString(),
        });
    } catch (e) {
      this.deps.log.warn(`Gallery: could not store the thumbnail of ${item.id}: ${errorText(e)}`);
    } finally {
      this.storing.delete(item.id);
    }
  }

  private async regenerate(item: HistoryItem): Promise<void> {
    const error = await this.deps.regenerate(item);
    await this.post({ type: 'regenerateDone', id: item.id, ok: !error, error });
  }

  private async clearAll(): Promise<Reply> {
    const count = this.deps.history.list().length;
    if (count === 0) return { ok: true };
    const confirmed = await this.deps.ui.confirm(
      count === 1
        ? vscode.l10n.t('Delete the image from the gallery?')
        : vscode.l10n.t('Delete all {0} images from the gallery?', count),
      vscode.l10n.t('Clear All'),
      vscode.l10n.t('Their cached copies are deleted too. Files saved in your workspace are kept.'),
    );
    if (!confirmed) return { ok: false };
    await this.deps.history.clear();
    return { ok: true, message: vscode.l10n.t('Gallery cleared.') };
  }

  private async clearCache(): Promise<Reply> {
    const freed = await this.deps.history.clearCache();
    const text =
      freed > 0
        ? vscode.l10n.t('Freed {0} from the image cache.', formatBytes(freed, vscode.env.language))
        : vscode.l10n.t('The image cache was already empty.');
    if (freed > 0) this.offerUndo(text, () => this.deps.history.undoClearCache());
    else void this.deps.ui.info(text);
    return { ok: true, message: text };
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
}
