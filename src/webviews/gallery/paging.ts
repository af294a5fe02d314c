// The gallery's items as the host hands them to the page: a window at a time, never the whole
// history. Search runs here over every item, so it finds what the page was never sent; an item's
// view (webview URIs, localized notes) and its thumbnail lookup are made only when it is sent.
import type * as vscode from 'vscode';
import { matchesQuery } from '../../core/history';
import type { HistoryChange, HistoryItem } from '../../core/history';
import type { WebviewDeps } from '../deps';
import { toItemView } from '../webviewHost';
import type { ThumbnailIndex } from '../webviewHost';
import { MAX_WINDOW_ITEMS } from './protocol';
import type { ItemWindow } from './protocol';

/** The first screen when the page did not say which (a tall list view, with some overscan). */
const DEFAULT_FIRST_SCREEN = 40;
/** Most items written into the page's HTML (a page of the page's own requests). */
const FIRST_SCREEN_MAX = 100;

export class GalleryPager {
  private query = '';
  /** The items matching `query`, newest first; recomputed after a history change. */
  private matches: readonly HistoryItem[] | undefined;
  /** The last window the page asked for: what it shows, sent again after a history change. */
  private last = { start: 0, end: DEFAULT_FIRST_SCREEN };
  private version = 0;

  constructor(
    private readonly deps: WebviewDeps,
    private readonly thumbnails: ThumbnailIndex,
  ) {}

  /**
   * The history changed: matches are read again on the next window, and the thumbnail listing
   * too unless the history only grew (then every thumbnail looked up is still where it was).
   */
  invalidate(change: HistoryChange): void {
    this.version++;
    this.matches = undefined;
    if (change === 'changed') this.thumbnails.invalidate();
  }

  /** Items `start`–`end` of those matching `query` (at most MAX_WINDOW_ITEMS of them). */
  async window(webview: vscode.Webview, query: string, start?: number, end?: number): Promise<ItemWindow> {
    if (start !== undefined && end !== undefined) this.last = { start, end };
    return this.build(
      webview,
      query,
      this.last.start,
      Math.min(this.last.end, this.last.start + MAX_WINDOW_ITEMS),
    );
  }

  /**
   * What a page loaded now shows first: the start of the last window asked for (where the page
   * was), at most a few screens of it, without taking it as the page's window.
   */
  firstScreen(webview: vscode.Webview, query: string): Promise<ItemWindow> {
    const { start, end } = this.last;
    return this.build(webview, query, start, Math.min(end, start + FIRST_SCREEN_MAX));
  }

  private async build(
    webview: vscode.Webview,
    query: string,
    from: number,
    until: number,
  ): Promise<ItemWindow> {
    const version = this.version;
    const to = Math.max(from, until);
    const all = this.deps.history.list();
    const matches = this.matchesOf(all, query);
    const slice = matches.slice(from, to);
    await this.thumbnails.ensure(
      slice.flatMap((item) => {
        const uri = this.deps.history.cacheUri(item) && this.deps.history.thumbnailUri(item);
        return uri ? [uri] : [];
      }),
    );
    return {
      query,
      total: matches.length,
      all: all.length,
      start: from,
      items: slice.map((item) => toItemView(item, webview, this.deps, this.thumbnails)),
      version,
    };
  }

  private matchesOf(all: readonly HistoryItem[], query: string): readonly HistoryItem[] {
    if (!query.trim()) return all;
    if (this.matches && this.query === query) return this.matches;
    this.query = query;
    this.matches = all.filter((item) => matchesQuery(item, query));
    return this.matches;
  }
}
