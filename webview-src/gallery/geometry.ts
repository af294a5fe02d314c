// The gallery's virtual grid in numbers: how big rows and cells are, and where the arrow keys go.
import type { ViewMode } from './rows';

/** Must match `.row` in style.css. */
const ROW_HEIGHT = 64;
/** Smallest grid cell; cells grow to fill the width. The caption under the picture adds GRID_CAPTION. */
const GRID_CELL = 128;
const GRID_CAPTION = 40;
export const GRID_PADDING = 8;

export interface Geometry {
  cols: number;
  rowHeight: number;
  cellWidth: number;
}

/** List: one full-width row per item. Grid: as many columns of at least GRID_CELL as fit in `width`. */
export function geometryFor(mode: ViewMode, width: number): Geometry {
  if (mode === 'list') return { cols: 1, rowHeight: ROW_HEIGHT, cellWidth: 0 };
  const inner = Math.max(GRID_CELL, width - GRID_PADDING * 2);
  const cols = Math.max(1, Math.floor(inner / GRID_CELL));
  const cellWidth = Math.floor(inner / cols);
  return { cols, rowHeight: cellWidth + GRID_CAPTION, cellWidth };
}

/** The index each navigation key moves to from `index` (left/right only in the grid). */
export function keyMoves(
  index: number,
  count: number,
  g: Geometry,
  viewportHeight: number,
): Record<string, number> {
  const page = Math.max(1, Math.floor(viewportHeight / g.rowHeight) - 1) * g.cols;
  const moves: Record<string, number> = {
    ArrowDown: index + g.cols,
    ArrowUp: index - g.cols,
    PageDown: index + page,
    PageUp: index - page,
    Home: 0,
    End: count - 1,
  };
  if (g.cols > 1) {
    moves.ArrowRight = index + 1;
    moves.ArrowLeft = index - 1;
  }
  return moves;
}
