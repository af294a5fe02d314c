// One gallery item as a list row (thumbnail, prompt, meta, actions) or a grid cell (a big
// picture with its prompt under it). Both can be dragged into a text editor.
import type { GalleryStrings } from '../../src/webviews/gallery/protocol';
import { formatDateTime, formatRelativeTime } from '../../src/webviews/shared/format';
import type { ItemView } from '../../src/webviews/shared/itemView';
import { setItemDragData } from '../shared/drag';
import { h, icon, iconButton } from '../shared/dom';
import { format } from '../shared/i18n';

export type ViewMode = 'list' | 'grid';

function actions(item: ItemView, s: GalleryStrings): HTMLElement {
  return h(
    'div',
    { class: 'row-actions', role: 'toolbar', 'aria-label': item.prompt },
    iconButton(s.insert, 'insert', { 'data-action': 'insert' }),
    iconButton(s.copyMarkdown, 'copy', { 'data-action': 'copyMarkdown' }),
    iconButton(s.open, 'link-external', { 'data-action': 'open' }),
    item.saved ? iconButton(s.reveal, 'folder-opened', { 'data-action': 'reveal' }) : undefined,
    iconButton(s.reuse, 'edit', { 'data-action': 'reuse' }),
    iconButton(s.regenerate, 'refresh', { 'data-action': 'regenerate' }),
    item.cached ? iconButton(s.edit, 'wand', { 'data-action': 'edit' }) : undefined,
    iconButton(s.delete, 'trash', { 'data-action': 'delete' }),
  );
}

export function renderItem(
  item: ItemView,
  mode: ViewMode,
  s: GalleryStrings,
  locale: string | undefined,
): HTMLElement {
  const time = formatRelativeTime(item.createdAt, Date.now(), locale);
  const absolute = formatDateTime(item.createdAt, locale);
  const promptTitle = item.revisedPrompt ? `${item.prompt}\n\n${item.revisedPrompt}` : item.prompt;
  const meta = h(
    'div',
    { class: 'meta' },
    item.problem
      ? h(
          'span',
          { class: 'problem', title: item.problem, 'aria-label': item.problem, role: 'img' },
          icon('warning'),
        )
      : undefined,
    h('span', { class: 'model' }, item.model),
    h('span', { class: 'size' }, item.size),
    item.usage ? h('span', { class: 'usage', title: item.usage }, item.usage) : undefined,
    h('time', { datetime: new Date(item.createdAt).toISOString(), title: absolute }, time),
  );
  const row = h(
    'div',
    {
      class: mode === 'grid' ? 'row cell' : 'row',
      role: 'listitem',
      'data-id': item.id,
      tabindex: -1,
      draggable: item.cached ? 'true' : 'false',
      'aria-label': format(s.rowLabel, item.prompt, item.model, item.size, time),
    },
    h('div', { class: 'thumb', title: item.cached ? s.dragHint : undefined }),
    h('div', { class: 'text' }, h('div', { class: 'prompt', title: promptTitle }, item.prompt), meta),
    actions(item, s),
  );
  row.addEventListener('dragstart', (e) => setItemDragData(e, item));
  return row;
}

/** Grid cells show the picture itself (the browser scales it); list rows get a small thumbnail. */
export function fillGridPicture(slot: HTMLElement, item: ItemView): void {
  if (!item.src) {
    slot.replaceChildren(icon('cloud', 'thumb-placeholder'));
    return;
  }
  const img = h('img', {
    class: 'thumb-image',
    src: item.src,
    alt: '',
    decoding: 'async',
    loading: 'lazy',
    draggable: 'false',
  });
  img.addEventListener('error', () => slot.replaceChildren(icon('warning', 'thumb-placeholder')), {
    once: true,
  });
  slot.replaceChildren(img);
}

/** Relative times ("3 minutes ago") age while the view is open; each row's `<time>` knows when. */
export function ageTimes(rows: ReadonlyMap<string, HTMLElement>, locale: string | undefined): void {
  for (const time of [...rows.values()].flatMap((row) => [...row.querySelectorAll('time')])) {
    const at = Date.parse(time.dateTime);
    if (!Number.isNaN(at)) time.textContent = formatRelativeTime(at, Date.now(), locale);
  }
}

/** The active row is the one Tab reaches (with its buttons); the others are reached by the arrow keys. */
export function markActive(row: HTMLElement, active: boolean): void {
  row.classList.toggle('active', active);
  row.tabIndex = active ? 0 : -1;
  for (const b of row.querySelectorAll<HTMLButtonElement>('button')) b.tabIndex = active ? 0 : -1;
}

/** "3 images", "1 image", "2 of 3 images". */
export function countText(s: GalleryStrings, total: number, all: number): string {
  if (total !== all) return format(s.countFiltered, total, all);
  return all === 1 ? s.countOne : format(s.countMany, all);
}
