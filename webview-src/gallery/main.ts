// The gallery view's page: a virtualized list of every generated image, newest first.
// Only the rows in view exist in the DOM; thumbnails are made once here and stored by the host.
import type {
  GalleryEvents,
  GalleryInbound,
  GalleryItemAction,
  GalleryStrings,
  GalleryViewAction,
  InitMessage,
  ItemWindow,
} from '../../src/webviews/gallery/protocol';
import type { EventHandlers, Reply } from '../../src/webviews/kernel/messages';
import { safeLocale } from '../../src/webviews/shared/format';
import { scrollToReveal, visibleRange } from '../../src/webviews/shared/virtualWindow';
import { announcer, byId, icon, isMac, onLoad } from '../shared/dom';
import { connect, initFromHtml } from '../shared/vscode';
import { geometryFor, GRID_PADDING, keyMoves, type Geometry } from './geometry';
import { buildLayout } from './layout';
import { ItemPages } from '../../src/webviews/shared/itemPages';
import { screenWindow } from './pages';
import { Preview } from './preview';
import { ageTimes, countText, fillGridPicture, markActive, renderItem, type ViewMode } from './rows';
import { readPageState, stateSaver, type GalleryPageState } from './state';
import { Thumbnails } from './thumbnails';

const host = connect<GalleryInbound, GalleryEvents, GalleryPageState>();

let strings: GalleryStrings;
let locale: string | undefined;
/** The host's items, a window at a time; `pages.query` is the search they match. */
const pages = new ItemPages((query, start, end) => host.post('window', { query, start, end }));
/** The search as typed; the rows show it once the host has answered. */
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

const readSavedState = () => readPageState(host.savedState());
const saveState = stateSaver(host.saveState, () => ({ query, scrollTop: list.scrollTop, activeId, mode }));

// ---- Layout ----

function build(): void {
  ({ searchInput, countLabel, list, spacer, emptyState, emptyText, emptyButton, modeButton } =
    buildLayout(strings));
  announce = announcer(byId('status'));
  preview = new Preview(byId('app'), () => strings.preview);
  modeButton.addEventListener('click', () => setMode(mode === 'grid' ? 'list' : 'grid'));
  preview.attach(list, (id) => pages.find(id));

  searchInput.addEventListener('input', () => {
    query = searchInput.value;
    pages.forgetPending();
    pages.want(query, 0, screenWindow(mode, 0).end);
    saveState();
  });
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && pages.total) {
      e.preventDefault();
      moveActive(activeIndex() < 0 ? 0 : activeIndex(), true);
    }
  });
  document.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-view-action]');
    if (!button) return;
    announceReply(host.request(button.dataset.viewAction as GalleryViewAction, {}));
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
  window.setInterval(() => ageTimes(rows, locale), 60_000);
}

// ---- Filtering and the virtual window ----

function applyFilter(resetScroll: boolean): void {
  const { total, all } = pages;
  if (!activeId || pages.indexOf(activeId) < 0) activeId = pages.at(0)?.id;
  countLabel.textContent = countText(strings, total, all);
  const empty = total === 0;
  emptyState.hidden = !empty;
  list.hidden = empty;
  emptyText.textContent = all === 0 ? strings.empty : strings.noMatch;
  emptyButton.hidden = all !== 0;
  document.body.dataset.count = String(total);
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
  const count = pages.total;
  spacer.style.height = `${Math.ceil(count / g.cols) * g.rowHeight}px`;
  const lines = visibleRange(
    list.scrollTop,
    list.clientHeight || window.innerHeight,
    g.rowHeight,
    Math.ceil(count / g.cols),
  );
  const start = lines.start * g.cols;
  const end = Math.min(count, lines.end * g.cols);
  // Rows not held yet are asked for; they appear when the host's window arrives.
  pages.want(pages.query, start, end);
  const wanted = new Set<string>();
  for (let i = start; i < end; i++) {
    const id = pages.at(i)?.id;
    if (id) wanted.add(id);
  }
  for (const [id, row] of rows) {
    // Keep the focused row even when it scrolls out, so focus is never dropped to the body.
    if (!wanted.has(id) && !row.contains(document.activeElement)) {
      row.remove();
      rows.delete(id);
    }
  }
  for (let i = start; i < end; i++) {
    const item = pages.at(i);
    if (!item) continue;
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
    row.setAttribute('aria-setsize', String(count));
  }
  for (const [id, row] of rows) markActive(row, id === activeId);
  thumbnails.pump();
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
  return activeId ? pages.indexOf(activeId) : -1;
}

function setActive(id: string): void {
  activeId = id;
  for (const [rowId, row] of rows) markActive(row, rowId === id);
  saveState();
}

/** A move to a row the host has not sent yet, made once its window arrives. */
let pendingMove: { index: number; focus: boolean } | undefined;

function moveActive(index: number, focus: boolean): void {
  pendingMove = undefined;
  if (!pages.total) return;
  const i = Math.min(pages.total - 1, Math.max(0, index));
  const g = geometry();
  const top = scrollToReveal(Math.floor(i / g.cols), list.scrollTop, list.clientHeight, g.rowHeight);
  if (top !== undefined) list.scrollTop = top;
  const item = pages.at(i);
  if (!item) {
    pendingMove = { index: i, focus };
    return render();
  }
  activeId = item.id;
  render();
  if (focus) rows.get(activeId)?.focus();
  saveState();
}

function onListKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement;
  const row = target.closest<HTMLElement>('.row');
  if (!row?.dataset.id) return;
  const onRow = target === row;
  const index = pages.indexOf(row.dataset.id);
  const g = geometry();
  const moves = keyMoves(index, pages.total, g, list.clientHeight);
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
    const item = pages.at(index);
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
    const i = pages.indexOf(id);
    const next = pages.at(i + 1) ?? pages.at(i - 1);
    pendingFocusAfterDelete = next?.id;
    deletedAt = i;
    restoreFocus = rows.get(id)?.contains(document.activeElement) ?? false;
  }
  announceReply(host.request(action, { id }));
}

/** Says what the host did (a failed request says nothing more, as before). */
const announceReply = (reply: Promise<Reply>) =>
  void reply.then((r) => r.message && announce(r.message), noop);
const noop = () => undefined;

let pendingFocusAfterDelete: string | undefined;
/** Where the deleted row was: the next row is there unless the host has not sent it yet. */
let deletedAt = -1;
let restoreFocus = false;

// ---- Thumbnails ----

const thumbnails = new Thumbnails(
  (id) => rows.get(id)?.querySelector<HTMLElement>('.thumb') ?? undefined,
  (id, data) => host.post('thumbnail', { id, data }),
);

// ---- Messages ----

/** A window from the host: more rows of what is shown, a new search, or a changed history. */
function onWindow(w: ItemWindow): void {
  const newSearch = w.query !== pages.query;
  const outcome = pages.accept(w, query);
  if (outcome === 'stale') return;
  if (outcome === 'added') {
    render();
  } else if (newSearch) {
    applyFilter(true);
  } else {
    setItems();
  }
  const move = pendingMove;
  if (move && pages.at(move.index)) moveActive(move.index, move.focus);
}

/** The history changed: the rows in view are rebuilt, keeping the scroll and the keyboard place. */
function setItems(): void {
  const scrollTop = list.scrollTop;
  applyFilter(false);
  const g = geometry();
  list.scrollTop = Math.min(
    scrollTop,
    Math.max(0, Math.ceil(pages.total / g.cols) * g.rowHeight - list.clientHeight),
  );
  if (pendingFocusAfterDelete !== undefined || restoreFocus) {
    const id = pendingFocusAfterDelete;
    const index = id === undefined ? -1 : pages.indexOf(id);
    const target = index >= 0 ? index : Math.min(Math.max(0, deletedAt), pages.total - 1);
    pendingFocusAfterDelete = undefined;
    if (target >= 0) {
      moveActive(target, restoreFocus);
    } else if (restoreFocus) {
      searchInput.focus();
    }
    restoreFocus = false;
  }
}

function init(message: InitMessage): void {
  // `ready`'s answer to a page painted from its HTML: what changed, and rows it asked for too early.
  if (initialized) {
    pages.forgetPending();
    return onWindow(message.window);
  }
  strings = message.strings;
  locale = safeLocale(message.language);
  build();
  initialized = true;
  const saved = readSavedState();
  query = saved.query;
  activeId = saved.activeId;
  searchInput.value = query;
  pages.accept(message.window, query);
  setMode(saved.mode ?? 'list');
  list.scrollTop = saved.scrollTop;
  render();
  document.body.dataset.ready = 'true';
  // After the frame that shows these rows.
  requestAnimationFrame(() => window.setTimeout(() => thumbnails.start(), 0));
}

const handlers: EventHandlers<GalleryEvents> = {
  init,
  window: onWindow,
  thumbnailStored: (message) => {
    thumbnails.stored(message.id);
    const item = pages.find(message.id);
    if (item) item.thumb = message.thumb;
  },
  regenerateDone: (message) => {
    if (!message.ok && message.error) announce(message.error);
  },
};
host.listen(handlers, () => initialized);

// The first screen's window, from where the page was left (the host sends only those items).
// When the HTML holds it already, it is rendered without waiting for the host; `ready` goes first,
// so the host builds its answer meanwhile and hears the page's requests for more rows after it.
{
  const saved = readSavedState();
  const first = screenWindow(saved.mode ?? 'list', saved.scrollTop);
  host.post('ready', { query: saved.query, start: first.start, end: first.end });
  const inHtml = initFromHtml<InitMessage>();
  // On `load`, which nothing delays then: VS Code shows the frame on its load event, and the
  // thumbnails and icon font that rows request would hold that back until they arrived.
  if (inHtml?.window.query === saved.query) onLoad(() => init(inHtml));
}
