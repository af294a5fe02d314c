// The items the gallery page holds: windows of the host's list (newest first, filtered by the
// search on the host), asked for a page at a time as rows scroll into view. Never the whole
// history. Pure: bundled into the gallery page, unit-tested.
import { MAX_WINDOW_ITEMS } from '../gallery/limits';
import type { ItemWindow } from '../gallery/protocol';
import type { ItemView } from './itemView';

/** Items per request: a few screens of list rows, so scrolling asks rarely. */
export const PAGE_ITEMS = 100;

export class ItemPages {
  /** The search these items match. */
  query = '';
  /** Items matching `query`, and in the gallery. */
  total = 0;
  all = 0;
  private version = -1;
  private readonly items = new Map<number, ItemView>();
  /** Pages asked for and not answered yet, as `${query}\n${page}`. */
  private readonly pending = new Set<string>();

  constructor(private readonly request: (query: string, start: number, end: number) => void) {}

  at(index: number): ItemView | undefined {
    return this.items.get(index);
  }

  /** Index of a held item, -1 when it is not held. */
  indexOf(id: string): number {
    for (const [i, item] of this.items) if (item.id === id) return i;
    return -1;
  }

  find(id: string): ItemView | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.items.get(i);
  }

  /**
   * Takes a window from the host. Returns 'replaced' when it starts a new search or history
   * version (what was held is gone), 'added' when it fills in more rows, 'stale' when it is for
   * a search no longer shown or an older version.
   */
  accept(w: ItemWindow, currentQuery: string): 'replaced' | 'added' | 'stale' {
    if (w.query !== currentQuery || w.version < this.version) return 'stale';
    let result: 'replaced' | 'added' = 'added';
    if (w.query !== this.query || w.version !== this.version) {
      this.items.clear();
      this.pending.clear();
      this.query = w.query;
      this.version = w.version;
      result = 'replaced';
    }
    this.total = w.total;
    this.all = w.all;
    w.items.forEach((item, i) => this.items.set(w.start + i, item));
    for (let p = Math.floor(w.start / PAGE_ITEMS); p * PAGE_ITEMS < w.start + w.items.length; p++)
      this.pending.delete(`${w.query}\n${p}`);
    return result;
  }

  /** Asks for the pages of `start`–`end` (of `query`) that are neither held nor asked for. */
  want(query: string, start: number, end: number): void {
    const sameQuery = query === this.query;
    const last = sameQuery ? Math.min(end, this.total) : end;
    let from: number | undefined;
    let to = 0;
    for (let p = Math.floor(start / PAGE_ITEMS); p * PAGE_ITEMS < last; p++) {
      const key = `${query}\n${p}`;
      const first = p * PAGE_ITEMS;
      const held =
        sameQuery && this.items.has(first) && this.items.has(Math.min(first + PAGE_ITEMS, this.total) - 1);
      if (held || this.pending.has(key)) continue;
      this.pending.add(key);
      from ??= first;
      to = first + PAGE_ITEMS;
    }
    if (from !== undefined) this.request(query, from, Math.min(to, from + MAX_WINDOW_ITEMS));
  }

  /** Forget what was asked for (after a new search, the old search's answers are stale anyway). */
  forgetPending(): void {
    this.pending.clear();
  }
}
