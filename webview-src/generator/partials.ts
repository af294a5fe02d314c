// Partial images of a streamed generation, shown as they arrive (PRODUCT.md §13); the final image
// replaces them in the results when the generation ends.
import type { OptionStrings } from '../../src/webviews/shared/modelOptions';
import { h } from '../shared/dom';
import { format } from '../shared/i18n';

export class PartialPreview {
  private requestId: number | undefined;

  constructor(
    private readonly host: HTMLElement,
    private readonly strings: () => OptionStrings,
  ) {
    host.hidden = true;
  }

  show(requestId: number, index: number, src: string): void {
    this.requestId = requestId;
    const caption = format(this.strings().partialCaption, index + 1);
    const img = h('img', { src, alt: caption, class: 'partial-image', 'data-index': index });
    this.host.replaceChildren(
      h('figure', { class: 'partial' }, img, h('figcaption', { class: 'muted' }, caption)),
    );
    this.host.hidden = false;
  }

  /** The generation ended (or another began): nothing partial stays. */
  clear(requestId?: number): void {
    if (requestId !== undefined && this.requestId !== undefined && requestId !== this.requestId) return;
    this.requestId = undefined;
    this.host.replaceChildren();
    this.host.hidden = true;
  }
}
