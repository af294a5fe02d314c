// What the gallery page keeps across reloads of the view (VS Code's webview state): the search,
// the scroll position, the active row and the view mode, each restored only with the right type.
import type { ViewMode } from './rows';

export interface GalleryPageState {
  query: string;
  scrollTop: number;
  activeId?: string;
  mode?: ViewMode;
}

export function readPageState(raw: unknown): GalleryPageState {
  const s = raw as Partial<GalleryPageState> | undefined;
  return {
    query: typeof s?.query === 'string' ? s.query : '',
    scrollTop: typeof s?.scrollTop === 'number' && s.scrollTop >= 0 ? s.scrollTop : 0,
    activeId: typeof s?.activeId === 'string' ? s.activeId : undefined,
    mode: s?.mode === 'grid' ? 'grid' : 'list',
  };
}

/** Saves what `current()` returns, at most every 150 ms (scrolling calls this on every event). */
export function stateSaver(save: (state: GalleryPageState) => void, current: () => GalleryPageState) {
  let timer: number | undefined;
  return (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => save(current()), 150);
  };
}
