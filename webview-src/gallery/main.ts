// The gallery view's page: a virtualized list of every generated image, newest first.
// Only the rows in view exist in the DOM; thumbnails are made once here and stored by the host.
import { THUMBNAIL_SIZE } from '../../src/webviews/gallery/protocol';
import type {
  GalleryEvent,
  GalleryItemAction,
  GalleryRequest,
  GalleryStrings,
  InitMessage,
} from '../../src/webviews/gallery/protocol';
import { formatRelativeTime, safeLocale } from '../../src/webviews/shared/format';
import { itemMatches } from '../../src/webviews/shared/itemView';
import type { ItemView } from '../../src/webviews/shared/itemView';
import { scrollToReveal, visibleRange } from '../../src/webviews/shared/virtualWindow';
import { announcer, byId, h, icon, iconButton, isMac, textButton } from '../shared/dom';
import { format } from '../shared/i18n';
import { connect } from '../shared/vscode';

interface GalleryPageState {
  query: string;
  scrollTop: number;
  activeId?: string;
}

/** Must match `.row` in style.css. */
const ROW_HEIGHT = 60;
const THUMB_CONCURRENCY = 2;
/** Freshly made thumbnails shown until the host's stored copy is known. */
const MADE_THUMBS_KEPT = 200;

const host = connect<GalleryRequest, GalleryPageState>();

let strings: GalleryStrings;
let locale: string | undefined;
let items: ItemView[] = [];
let shown: ItemView[] = [];
let query = '';
let activeId: string | undefined;
let initialized = false;

let searchInput: HTMLInputElement;
let countLabel: HTMLElement;
let list: HTMLElement;
let spacer: HTMLElement;
let emptyState: HTMLElement;
let emptyText: HTMLElement;
let emptyButton: HTMLButtonElement;
let announce: (text: string) => void;

/** Rendered rows by item id. */
const rows = new Map<string, HTMLElement>();

// ---- State ----

function readSavedState(): GalleryPageState {
  const s = host.savedState() as Partial<GalleryPageState> | undefined;
  return {
    query: typeof s?.query === 'string' ? s.query : '',
    scrollTop: typeof s?.scrollTop === 'number' && s.scrollTop >= 0 ? s.scrollTop : 0,
    activeId: typeof s?.activeId === 'string' ? s.activeId : undefined,
  };
}

let saveTimer: number | undefined;
function saveState(): void {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => host.saveState({ query, scrollTop: list.scrollTop, activeId }), 150);
}

// ---- Layout ----

function build(): void {
  const s = strings;
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
          (searchInput = h('input', {
            id: 'search',
            type: 'search',
            placeholder: s.searchPlaceholder,
            'aria-label': s.search,
            'aria-controls': 'list',
            autocomplete: 'off',
            spellcheck: 'false',
          })),
        ),
        iconButton(s.openGenerator, 'add', { id: 'open-generator', 'data-view-action': 'openGenerator' }),
        iconButton(s.clearCache, 'database', { id: 'clear-cache', 'data-view-action': 'clearCache' }),
        iconButton(s.clearAll, 'clear-all', { id: 'clear-all', 'data-view-action': 'clearAll' }),
      ),
      (countLabel = h('div', { id: 'count', class: 'count' })),
      (list = h(
        'div',
        {
          id: 'list',
          class: 'list',
          role: 'list',
          'aria-label': s.list,
          'aria-describedby': 'keyboard-hint',
        },
        (spacer = h('div', { class: 'spacer', 'aria-hidden': 'true' })),
      )),
      (emptyState = h(
        'div',
        { id: 'empty', class: 'empty', hidden: true },
        (emptyText = h('p', {})),
        (emptyButton = textButton(s.openGenerator, 'add', {
          id: 'empty-open-generator',
          class: 'primary',
          'data-view-action': 'openGenerator',
        })),
      )),
      h('div', { id: 'keyboard-hint', class: 'visually-hidden' }, s.keyboardHint),
      h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    ),
  );
  announce = announcer(byId('status'));

  searchInput.addEventListener('input', () => {
    query = searchInput.value;
    applyFilter(true);
    saveState();
  });
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && shown.length) {
      e.preventDefault();
      moveActive(activeIndex() < 0 ? 0 : activeIndex(), true);
    }
  });
  document.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-view-action]');
    if (!button) return;
    const type = button.dataset.viewAction as 'clearAll' | 'clearCache' | 'openGenerator';
    host.post({ type, requestId: host.nextRequestId() });
  });
  list.addEventListener('scroll', () => {
    scheduleRender();
    saveState();
  });
  list.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('.row');
    if (!row?.dataset.id) return;
    setActive(row.dataset.id);
    const button = target.closest<HTMLButtonElement>('button[data-action]');
    if (button) runAction(button.dataset.action as GalleryItemAction, row.dataset.id);
  });
  list.addEventListener('dblclick', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (row?.dataset.id && !(e.target as HTMLElement).closest('button')) runAction('open', row.dataset.id);
  });
  list.addEventListener('keydown', onListKey);
  list.addEventListener('focusin', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (row?.dataset.id && row.dataset.id !== activeId) setActive(row.dataset.id);
  });
  new ResizeObserver(() => scheduleRender()).observe(list);
  // Relative times ("3 minutes ago") age while the view is open.
  window.setInterval(() => {
    for (const [id, row] of rows) {
      const item = shown.find((i) => i.id === id);
      const time = row.querySelector('time');
      if (item && time) time.textContent = formatRelativeTime(item.createdAt, Date.now(), locale);
    }
  }, 60_000);
}

// ---- Filtering and the virtual window ----

function applyFilter(resetScroll: boolean): void {
  shown = query.trim() ? items.filter((i) => itemMatches(i, query)) : items;
  if (!activeId || !shown.some((i) => i.id === activeId)) activeId = shown[0]?.id;
  spacer.style.height = `${shown.length * ROW_HEIGHT}px`;
  countLabel.textContent =
    shown.length !== items.length
      ? format(strings.countFiltered, shown.length, items.length)
      : items.length === 1
        ? strings.countOne
        : format(strings.countMany, items.length);
  const empty = shown.length === 0;
  emptyState.hidden = !empty;
  list.hidden = empty;
  emptyText.textContent = items.length === 0 ? strings.empty : strings.noMatch;
  emptyButton.hidden = items.length !== 0;
  document.body.dataset.count = String(shown.length);
  if (resetScroll) list.scrollTop = 0;
  // Rows are rebuilt from the new data; whatever had focus in them gets it back.
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const focusedId = focused?.closest<HTMLElement>('.row')?.dataset.id;
  const focusedAction = focused?.dataset.action;
  clearRows();
  render();
  const row = focusedId ? rows.get(focusedId) : undefined;
  if (row)
    (focusedAction
      ? (row.querySelector<HTMLElement>(`[data-action="${focusedAction}"]`) ?? row)
      : row
    ).focus();
}

function clearRows(): void {
  for (const row of rows.values()) row.remove();
  rows.clear();
}

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render(): void {
  const { start, end } = visibleRange(
    list.scrollTop,
    list.clientHeight || window.innerHeight,
    ROW_HEIGHT,
    shown.length,
  );
  const wanted = new Set<string>();
  for (let i = start; i < end; i++) wanted.add(shown[i].id);
  for (const [id, row] of rows) {
    // Keep the focused row even when it scrolls out, so focus is never dropped to the body.
    if (!wanted.has(id) && !row.contains(document.activeElement)) {
      row.remove();
      rows.delete(id);
    }
  }
  for (let i = start; i < end; i++) {
    const item = shown[i];
    let row = rows.get(item.id);
    if (!row) {
      row = renderRow(item);
      rows.set(item.id, row);
      list.append(row);
    }
    row.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    row.setAttribute('aria-posinset', String(i + 1));
    row.setAttribute('aria-setsize', String(shown.length));
  }
  for (const [id, row] of rows) markActive(row, id === activeId);
  pumpThumbnails();
}

function markActive(row: HTMLElement, active: boolean): void {
  row.classList.toggle('active', active);
  row.tabIndex = active ? 0 : -1;
  for (const b of row.querySelectorAll<HTMLButtonElement>('button')) b.tabIndex = active ? 0 : -1;
}

function renderRow(item: ItemView): HTMLElement {
  const s = strings;
  const time = formatRelativeTime(item.createdAt, Date.now(), locale);
  const absolute = new Date(item.createdAt).toLocaleString(locale);
  const actions = h(
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
  const row = h(
    'div',
    {
      class: 'row',
      role: 'listitem',
      'data-id': item.id,
      tabindex: -1,
      'aria-label': format(s.rowLabel, item.prompt, item.model, item.size, time),
    },
    h('div', { class: 'thumb' }),
    h(
      'div',
      { class: 'text' },
      h(
        'div',
        {
          class: 'prompt',
          title: item.revisedPrompt ? `${item.prompt}\n\n${item.revisedPrompt}` : item.prompt,
        },
        item.prompt,
      ),
      h(
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
      ),
    ),
    actions,
  );
  row.style.height = `${ROW_HEIGHT}px`;
  fillThumb(row.firstElementChild as HTMLElement, item);
  return row;
}

// ---- Keyboard ----

function activeIndex(): number {
  return activeId ? shown.findIndex((i) => i.id === activeId) : -1;
}

function setActive(id: string): void {
  activeId = id;
  for (const [rowId, row] of rows) markActive(row, rowId === id);
  saveState();
}

function moveActive(index: number, focus: boolean): void {
  if (!shown.length) return;
  const i = Math.min(shown.length - 1, Math.max(0, index));
  const top = scrollToReveal(i, list.scrollTop, list.clientHeight, ROW_HEIGHT);
  if (top !== undefined) list.scrollTop = top;
  activeId = shown[i].id;
  render();
  if (focus) rows.get(activeId)?.focus();
  saveState();
}

function onListKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement;
  const row = target.closest<HTMLElement>('.row');
  if (!row?.dataset.id) return;
  const onRow = target === row;
  const index = shown.findIndex((i) => i.id === row.dataset.id);
  const page = Math.max(1, Math.floor(list.clientHeight / ROW_HEIGHT) - 1);
  const moves: Record<string, number> = {
    ArrowDown: index + 1,
    ArrowUp: index - 1,
    PageDown: index + page,
    PageUp: index - page,
    Home: 0,
    End: shown.length - 1,
  };
  if (e.key in moves && (onRow || e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
    e.preventDefault();
    if (e.key === 'ArrowUp' && index === 0 && onRow) return searchInput.focus();
    return moveActive(moves[e.key], true);
  }
  if (!onRow) return;
  if (e.key === 'Enter') {
    e.preventDefault();
    runAction('insert', row.dataset.id);
  } else if (e.key === 'Delete' || (isMac && e.key === 'Backspace' && e.metaKey)) {
    e.preventDefault();
    runAction('delete', row.dataset.id);
  }
}

function runAction(action: GalleryItemAction, id: string): void {
  if (action === 'delete') {
    // Keep the keyboard position: the next row becomes active once the list updates.
    const i = shown.findIndex((x) => x.id === id);
    const next = shown[i + 1] ?? shown[i - 1];
    pendingFocusAfterDelete = next?.id;
    restoreFocus = rows.get(id)?.contains(document.activeElement) ?? false;
  }
  host.post({ type: action, requestId: host.nextRequestId(), id });
}

let pendingFocusAfterDelete: string | undefined;
let restoreFocus = false;

// ---- Thumbnails ----

/** Items whose stored thumbnail failed to load; they get a new one made from the image. */
const thumbFailed = new Set<string>();
const madeThumbs = new Map<string, HTMLCanvasElement>();
const thumbQueue: ItemView[] = [];
const thumbInFlight = new Set<string>();

function fillThumb(slot: HTMLElement, item: ItemView): void {
  const made = madeThumbs.get(item.id);
  if (made) {
    slot.replaceChildren(made);
    return;
  }
  if (item.thumb && !thumbFailed.has(item.id)) {
    const img = h('img', {
      class: 'thumb-image',
      src: item.thumb,
      alt: '',
      decoding: 'async',
      draggable: 'false',
    });
    img.addEventListener(
      'error',
      () => {
        thumbFailed.add(item.id);
        slot.replaceChildren(icon('file-media', 'thumb-placeholder'));
        queueThumbnail(item);
        pumpThumbnails();
      },
      { once: true },
    );
    slot.replaceChildren(img);
    return;
  }
  slot.replaceChildren(icon(item.cached ? 'file-media' : 'cloud', 'thumb-placeholder'));
  if (item.cached && item.src) queueThumbnail(item);
}

/** Queued while a row is built; `render()` starts the work once the row is in place. */
function queueThumbnail(item: ItemView): void {
  if (thumbInFlight.has(item.id) || thumbQueue.some((q) => q.id === item.id)) return;
  thumbQueue.push(item);
}

function pumpThumbnails(): void {
  while (thumbInFlight.size < THUMB_CONCURRENCY && thumbQueue.length) {
    const item = thumbQueue.shift() as ItemView;
    // Scrolled away meanwhile: it is queued again when it comes back into view.
    if (!rows.has(item.id)) continue;
    thumbInFlight.add(item.id);
    makeThumbnail(item)
      .then((canvas) => {
        if (!canvas) return;
        madeThumbs.set(item.id, canvas);
        if (madeThumbs.size > MADE_THUMBS_KEPT) madeThumbs.delete(madeThumbs.keys().next().value as string);
        const slot = rows.get(item.id)?.querySelector<HTMLElement>('.thumb');
        slot?.replaceChildren(canvas);
      })
      .catch(() => undefined)
      .finally(() => {
        thumbInFlight.delete(item.id);
        pumpThumbnails();
      });
  }
}

/** A centred square crop, THUMBNAIL_SIZE pixels wide, sent to the host as WebP (PNG if WebP is unavailable). */
async function makeThumbnail(item: ItemView): Promise<HTMLCanvasElement | undefined> {
  if (!item.src) return undefined;
  const img = new Image();
  // Webview resources are served with CORS headers; without this the canvas would be tainted.
  img.crossOrigin = 'anonymous';
  img.src = item.src;
  await img.decode();
  const side = Math.min(img.naturalWidth, img.naturalHeight);
  if (!side) return undefined;
  const sx = (img.naturalWidth - side) / 2;
  const sy = (img.naturalHeight - side) / 2;
  const size = Math.min(THUMBNAIL_SIZE, side);
  const bitmap = await createImageBitmap(img, sx, sy, side, side, {
    resizeWidth: size,
    resizeHeight: size,
    resizeQuality: 'high',
  });
  const canvas = h('canvas', { class: 'thumb-image', width: size, height: size, 'aria-hidden': 'true' });
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.82));
  if (blob) host.post({ type: 'thumbnail', id: item.id, data: new Uint8Array(await blob.arrayBuffer()) });
  return canvas;
}

// ---- Messages ----

function setItems(next: ItemView[]): void {
  items = next;
  const scrollTop = list.scrollTop;
  applyFilter(false);
  list.scrollTop = Math.min(scrollTop, Math.max(0, shown.length * ROW_HEIGHT - list.clientHeight));
  if (pendingFocusAfterDelete !== undefined || restoreFocus) {
    const target = shown.find((i) => i.id === pendingFocusAfterDelete) ?? shown[0];
    pendingFocusAfterDelete = undefined;
    if (target) {
      activeId = target.id;
      moveActive(shown.indexOf(target), restoreFocus);
    } else if (restoreFocus) {
      searchInput.focus();
    }
    restoreFocus = false;
  }
}

function init(message: InitMessage): void {
  strings = message.strings;
  locale = safeLocale(message.language);
  if (!initialized) build();
  initialized = true;
  const saved = readSavedState();
  query = saved.query;
  activeId = saved.activeId;
  searchInput.value = query;
  items = message.items;
  applyFilter(false);
  list.scrollTop = saved.scrollTop;
  render();
  document.body.dataset.ready = 'true';
}

host.onMessage((raw) => {
  const message = raw as GalleryEvent;
  if (message.type !== 'init' && !initialized) return;
  switch (message.type) {
    case 'init':
      return init(message);
    case 'items':
      return setItems(message.items);
    case 'thumbnailStored': {
      thumbFailed.delete(message.id);
      for (const list of [items, shown]) {
        const item = list.find((i) => i.id === message.id);
        if (item) item.thumb = message.thumb;
      }
      return;
    }
    case 'reply':
      if (message.message) announce(message.message);
      return;
  }
});

host.post({ type: 'ready' });
