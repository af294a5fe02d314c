// A larger preview of one item: on Space for the active row, or after resting on a thumbnail.
import type { ItemView } from '../../src/webviews/shared/itemView';
import { h, icon } from '../shared/dom';

const HOVER_DELAY_MS = 400;

export class Preview {
  private readonly box: HTMLElement;
  private shownId: string | undefined;
  private hoverTimer: number | undefined;

  constructor(
    parent: HTMLElement,
    private readonly label: () => string,
  ) {
    this.box = h('div', { id: 'preview', class: 'preview', role: 'dialog', hidden: true });
    parent.append(this.box);
    this.box.addEventListener('click', () => this.hide());
  }

  get openFor(): string | undefined {
    return this.shownId;
  }

  show(item: ItemView, anchor?: HTMLElement): void {
    this.shownId = item.id;
    this.box.setAttribute('aria-label', `${this.label()}: ${item.prompt}`);
    const picture = item.src
      ? h('img', { class: 'preview-image', src: item.src, alt: item.revisedPrompt || item.prompt })
      : h('div', { class: 'preview-missing' }, icon('cloud'), h('span', {}, item.problem ?? ''));
    this.box.replaceChildren(
      picture,
      h('div', { class: 'preview-prompt' }, item.prompt),
      h('div', { class: 'preview-meta' }, `${item.model} · ${item.size}`),
    );
    // Beside the row it belongs to when there is room, else at the top of the view.
    const top = anchor ? anchor.getBoundingClientRect().bottom + 4 : 8;
    this.box.style.top = `${Math.max(8, Math.min(top, window.innerHeight * 0.35))}px`;
    this.box.hidden = false;
  }

  hide(): void {
    window.clearTimeout(this.hoverTimer);
    this.shownId = undefined;
    this.box.hidden = true;
  }

  toggle(item: ItemView, anchor?: HTMLElement): void {
    if (this.shownId === item.id) this.hide();
    else this.show(item, anchor);
  }

  /** Resting the pointer on a thumbnail opens the preview; leaving it closes it. */
  hoverStart(item: ItemView, anchor: HTMLElement): void {
    window.clearTimeout(this.hoverTimer);
    this.hoverTimer = window.setTimeout(() => this.show(item, anchor), HOVER_DELAY_MS);
  }

  hoverEnd(): void {
    window.clearTimeout(this.hoverTimer);
    if (this.shownId !== undefined) this.hide();
  }
}
