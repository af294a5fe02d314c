// Where the gallery page's first screen is before it is laid out: what it asks the host for first.
import { MAX_WINDOW_ITEMS } from '../../src/webviews/gallery/limits';
import { visibleRange } from '../../src/webviews/shared/virtualWindow';
import { geometryFor } from './geometry';
import type { ViewMode } from './rows';

/**
 * The items a screen shows at `scrollTop` before the page is laid out (the view's own size):
 * what the page asks for first, so the host sends no more than that.
 */
export function screenWindow(mode: ViewMode, scrollTop: number): { start: number; end: number } {
  const g = geometryFor(mode, window.innerWidth);
  const lines = visibleRange(scrollTop, window.innerHeight, g.rowHeight, Number.MAX_SAFE_INTEGER);
  const start = lines.start * g.cols;
  return { start, end: Math.min(lines.end * g.cols, start + MAX_WINDOW_ITEMS) };
}
