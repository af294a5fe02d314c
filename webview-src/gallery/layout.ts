// The gallery page's elements, built once: toolbar, count, the virtual list and the empty state.
import type { GalleryStrings } from '../../src/webviews/gallery/protocol';
import { byId, h, icon, iconButton, textButton } from '../shared/dom';

export interface GalleryElements {
  searchInput: HTMLInputElement;
  countLabel: HTMLElement;
  list: HTMLElement;
  spacer: HTMLElement;
  emptyState: HTMLElement;
  emptyText: HTMLElement;
  emptyButton: HTMLButtonElement;
  modeButton: HTMLButtonElement;
}

export function buildLayout(s: GalleryStrings): GalleryElements {
  const e = {} as GalleryElements;
  byId('app').replaceChildren(
    h(
      'div',
      { class: 'gallery' },
      h(
        'div',
        { class: 'toolbar' },
        h(
          'div',
          { class: 'search' },
          icon('search', 'search-icon'),
          (e.searchInput = h('input', {
            id: 'search',
            type: 'search',
            placeholder: s.searchPlaceholder,
            'aria-label': s.search,
            'aria-controls': 'list',
            autocomplete: 'off',
            spellcheck: 'false',
          })),
        ),
        (e.modeButton = iconButton(s.viewGrid, 'layout', { id: 'view-mode', 'aria-pressed': 'false' })),
        iconButton(s.openGenerator, 'add', { id: 'open-generator', 'data-view-action': 'openGenerator' }),
        iconButton(s.clearCache, 'database', { id: 'clear-cache', 'data-view-action': 'clearCache' }),
        iconButton(s.clearAll, 'clear-all', { id: 'clear-all', 'data-view-action': 'clearAll' }),
      ),
      (e.countLabel = h('div', { id: 'count', class: 'count' })),
      (e.list = h(
        'div',
        {
          id: 'list',
          class: 'list',
          role: 'list',
          'aria-label': s.list,
          'aria-describedby': 'keyboard-hint',
        },
        (e.spacer = h('div', { class: 'spacer', 'aria-hidden': 'true' })),
      )),
      (e.emptyState = h(
        'div',
        { id: 'empty', class: 'empty', hidden: true },
        (e.emptyText = h('p', {})),
        (e.emptyButton = textButton(s.openGenerator, 'add', {
          id: 'empty-open-generator',
          class: 'primary',
          'data-view-action': 'openGenerator',
        })),
      )),
      h('div', { id: 'keyboard-hint', class: 'visually-hidden' }, s.keyboardHint),
      h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    ),
  );
  return e;
}
