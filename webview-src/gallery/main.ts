// The gallery view's page: a virtualized list of every generated image, newest first.
// Only the rows in view exist in the DOM; thumbnails are made once here and stored by the host.
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
import { announcer, byId, icon, isMac } from '../shared/dom';
import { format } from '../shared/i18n';
import { connect } from '../shared/vscode';
import { geometryFor, GRID_PADDING, keyMoves, type Geometry } from './geometry';
import { buildLayout } from './layout';
import { Preview } from './preview';
import { fillGridPicture, renderItem } from './rows';
import type { ViewMode } from './rows';
import { Thumbnails } from './thumbnails';

interface GalleryPageState {
  query: string;
  scrollTop: number;
  activeId?: string;
  mode?: ViewMode;
}

const host = connect<GalleryRequest, GalleryPageState>();

let strings: GalleryStrings;
let locale: string | undefined;
let items: ItemView[] = [];
let shown: ItemView[] = [];
let query = '';
let activeId: string | undefined;
let mode: ViewMode = 'list';
let initialized = false;

let searchInput: HTMLInputElement;
let countLabel: HTMLElement;
let list: HTMLElement;
let spacer: HTMLElement;
let emptyState: HTMLElement;
let emptyText: HTMLElement;
let emptyButton: HTMLButtonElement;
let modeButton: HTMLButtonElement;
let preview: Preview;
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
    mode: s?.mode === 'grid' ? 'grid' : 'list',
  };
}

let saveTimer: number | undefined;
function saveState(): void {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(
    () => host.saveState({ query, scrollTop: list.scrollTop, activeId, mode }),
    150,
  );
}

// ---- Layout ----

function build(): void {
  ({ searchInput, countLabel, list, spacer, emptyState, emptyText, emptyButton, modeButton } =
    buildLayout(strings));
  announce = announcer(byId('status'));
  preview = new Preview(byId('app'), () => strings.preview);
  modeButton.addEventListener('click', () => setMode(mode === 'grid' ? 'list' : 'grid'));
  list.addEventListener('mouseover', (e) => {
    const thumb = (e.target as HTMLElement).closest<HTMLElement>('.row:not(.cell) .thumb');
    const item = thumb && shown.find((i) => i.id === thumb.closest<HTMLElement>('.row')?.dataset.id);
    if (item && thumb) preview.hoverStart(item, thumb);
  });
  list.addEventListener('mouseout', (e) => {
    if ((e.target as HTMLElement).closest('.thumb')) preview.hoverEnd();
  });
  list.addEventListener('scroll', () => preview.hide(), { passive: true });

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

function geometry(): Geometry {
  return geometryFor(mode, list.clientWidth || window.innerWidth);
}

function render(): void {
  const g = geometry();
  // Grid rows depend on the width, so the scroll height is set on every render.
  spacer.style.height = `${Math.ceil(shown.length / g.cols) * g.rowHeight}px`;
  const lines = visibleRange(
    list.scrollTop,
    list.clientHeight || window.innerHeight,
    g.rowHeight,
    Math.ceil(shown.length / g.cols),
  );
  const start = lines.start * g.cols;
  const end = Math.min(shown.length, lines.end * g.cols);
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
      row = renderItem(item, mode, strings, locale);
      const slot = row.firstElementChild as HTMLElement;
      if (mode === 'grid') fillGridPicture(slot, item);
      else thumbnails.fill(slot, item);
      rows.set(item.id, row);
      list.append(row);
    }
    const x = mode === 'grid' ? GRID_PADDING + (i % g.cols) * g.cellWidth : 0;
    row.style.transform = `translate(${x}px, ${Math.floor(i / g.cols) * g.rowHeight}px)`;
    row.style.height = `${g.rowHeight}px`;
    if (mode === 'grid') row.style.width = `${g.cellWidth}px`;
    row.setAttribute('aria-posinset', String(i + 1));
    row.setAttribute('aria-setsize', String(shown.length));
  }
  for (const [id, row] of rows) markActive(row, id === activeId);
  thumbnails.pump();
}

function markActive(row: HTMLElement, active: boolean): void {
  row.classList.toggle('active', active);
  row.tabIndex = active ? 0 : -1;
  for (const b of row.querySelectorAll<HTMLButtonElement>('button')) b.tabIndex = active ? 0 : -1;
}

function setMode(next: ViewMode): void {
  mode = next;
  document.body.dataset.mode = mode;
  modeButton.setAttribute('aria-pressed', String(mode === 'grid'));
  const label = mode === 'grid' ? strings.viewList : strings.viewGrid;
  modeButton.setAttribute('aria-label', label);
  modeButton.title = label;
  modeButton.replaceChildren(icon(mode === 'grid' ? 'list-flat' : 'layout'));
  preview.hide();
  const keep = activeIndex();
  applyFilter(false);
  if (keep >= 0) moveActive(keep, list.contains(document.activeElement));
  saveState();
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
  const g = geometry();
  const top = scrollToReveal(Math.floor(i / g.cols), list.scrollTop, list.clientHeight, g.rowHeight);
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
  const g = geometry();
  const moves = keyMoves(index, shown.length, g, list.clientHeight);
  if (e.key in moves && (onRow || e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
    e.preventDefault();
    if (e.key === 'ArrowUp' && index < g.cols && onRow) return searchInput.focus();
    return moveActive(moves[e.key], true);
  }
  if (e.key === 'Escape' && preview.openFor) {
    e.preventDefault();
    return preview.hide();
  }
  if (!onRow) return;
  if (e.key === ' ') {
    e.preventDefault();
    const item = shown[index];
    if (item) preview.toggle(item, row);
  } else if (e.key === 'Enter') {
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

const thumbnails = new Thumbnails(
  (id) => rows.get(id)?.querySelector<HTMLElement>('.thumb') ?? undefined,
  (id, data) => host.post({ type: 'thumbnail', id, data }),
);

// ---- Messages ----

function setItems(next: ItemView[]): void {
  items = next;
  const scrollTop = list.scrollTop;
  applyFilter(false);
  const g = geometry();
  list.scrollTop = Math.min(
    scrollTop,
    Math.max(0, Math.ceil(shown.length / g.cols) * g.rowHeight - list.clientHeight),
  );
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
  setMode(saved.mode ?? 'list');
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
      thumbnails.stored(message.id);
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
