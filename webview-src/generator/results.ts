// The panel's results: one section per generation, newest first, each card with its picture,
// prompt, model and size, and its actions. Cards can be dragged into a text editor.
import type { GeneratorItemAction, GeneratorStrings } from '../../src/webviews/generator/protocol';
import type { ItemView } from '../../src/webviews/shared/itemView';
import { formatRelativeTime } from '../../src/webviews/shared/format';
import { setItemDragData } from '../shared/drag';
import { h, icon, textButton } from '../shared/dom';
import { format } from '../shared/i18n';

/** Splits the flat, newest-first list into generations by the host's group sizes. */
export function splitGroups(results: readonly ItemView[], sizes: readonly number[]): ItemView[][] {
  const out: ItemView[][] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= results.length) break;
    out.push(results.slice(at, at + size));
    at += size;
  }
  if (at < results.length) out.push(results.slice(at));
  return out.filter((g) => g.length > 0);
}

export function renderResults(
  list: HTMLElement,
  results: readonly ItemView[],
  groups: readonly number[],
  strings: GeneratorStrings,
  locale: string | undefined,
): void {
  const focused = document.activeElement as HTMLElement | null;
  const focusId = focused?.closest<HTMLElement>('[data-id]')?.dataset.id;
  const focusAction = focused?.dataset.action;
  list.replaceChildren(...splitGroups(results, groups).map((group) => renderGroup(group, strings, locale)));
  if (focusId && focusAction) {
    list
      .querySelector<HTMLElement>(
        `[data-id="${CSS.escape(focusId)}"] [data-action="${CSS.escape(focusAction)}"]`,
      )
      ?.focus();
  }
}

function renderGroup(group: ItemView[], s: GeneratorStrings, locale: string | undefined): HTMLLIElement {
  const first = group[0];
  const when = formatRelativeTime(first.createdAt, Date.now(), locale);
  const heading = h(
    'div',
    { class: 'generation-header' },
    h(
      'span',
      { class: 'generation-count' },
      group.length === 1 ? s.imageOne : format(s.imageMany, group.length),
    ),
    ' · ',
    h('span', {}, first.model),
    ' · ',
    h('time', { datetime: new Date(first.createdAt).toISOString() }, when),
  );
  return h(
    'li',
    { class: 'generation', 'aria-label': first.prompt },
    heading,
    h('ul', { class: 'grid' }, ...group.map((item) => renderTile(item, s))),
  );
}

function renderTile(item: ItemView, s: GeneratorStrings): HTMLLIElement {
  const alt = item.revisedPrompt || item.prompt;
  const frame = h('div', { class: 'tile-frame' });
  const missing = (text: string) =>
    h('div', { class: 'tile-missing', title: text }, icon('warning'), h('span', {}, text));
  if (item.src) {
    const img = h('img', { class: 'tile-image', src: item.src, alt, decoding: 'async', draggable: 'false' });
    img.addEventListener('error', () => frame.replaceChildren(missing(s.imageUnavailable)), { once: true });
    frame.append(img);
  } else {
    frame.append(missing(item.problem ?? s.noLocalCopy));
  }
  const button = (
    action: GeneratorItemAction,
    label: string,
    iconName: string,
    enabled: boolean,
    reason?: string,
  ) =>
    textButton(label, iconName, {
      class: 'secondary small',
      'data-action': action,
      disabled: !enabled,
      title: enabled ? label : reason,
    });
  const tile = h(
    'li',
    { class: 'tile', 'data-id': item.id, 'aria-label': alt, draggable: item.cached ? 'true' : 'false' },
    frame,
    h(
      'p',
      {
        class: 'tile-prompt',
        title: item.revisedPrompt ? `${item.prompt}\n\n${item.revisedPrompt}` : item.prompt,
      },
      item.prompt,
    ),
    h(
      'div',
      { class: 'tile-meta' },
      h('span', { class: 'tile-size' }, item.size),
      ' · ',
      h('span', { class: 'tile-model' }, item.model),
    ),
    h(
      'div',
      { class: 'tile-actions' },
      button('insertFile', s.insertFile, 'file-media', item.cached, s.noLocalCopy),
      button('insertUrl', s.insertUrl, 'link', item.hasUrl, s.noUrl),
      button('copyMarkdown', s.copyMarkdown, 'copy', item.cached || item.hasUrl),
      button('open', s.open, 'link-external', true),
    ),
  );
  if (item.cached) tile.title = s.dragHint;
  tile.addEventListener('dragstart', (e) => setItemDragData(e, item));
  return tile;
}
