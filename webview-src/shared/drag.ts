// Dragging an item out of a webview: the drop provider on the host inserts it into the editor.
import { ITEM_DRAG_MIME, itemDragData } from '../../src/webviews/shared/itemView';
import type { ItemView } from '../../src/webviews/shared/itemView';

/** Fills a `dragstart` with the item's id; items without a local copy cannot be dropped as files. */
export function setItemDragData(e: DragEvent, item: ItemView): void {
  if (!e.dataTransfer || !item.cached) {
    e.preventDefault();
    return;
  }
  e.dataTransfer.setData(ITEM_DRAG_MIME, itemDragData(item.id));
  e.dataTransfer.effectAllowed = 'copy';
  const picture = (e.currentTarget as HTMLElement | null)?.querySelector('img, canvas');
  if (picture instanceof HTMLElement) e.dataTransfer.setDragImage(picture, 16, 16);
}
