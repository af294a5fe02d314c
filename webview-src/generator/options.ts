// The chosen model's options as controls (PRODUCT.md §13): one select per option it takes,
// compression only with jpeg or webp, partial images only for one image at a time. What the model
// cannot take is not shown; a combination it cannot do is corrected here, in sight.
import type { OptionStrings } from '../../src/webviews/shared/modelOptions';
import {
  CHOICE_OPTIONS,
  MAX_PARTIAL_IMAGES,
  compressionApplies,
  fitOptions,
} from '../../src/webviews/shared/modelOptions';
import type { ChoiceOption, ModelOptionsView, PanelOptions } from '../../src/webviews/shared/modelOptions';
import { h } from '../shared/dom';

const DEFAULT = '';

export class OptionControls {
  private view: ModelOptionsView | undefined;
  private chosen: PanelOptions = {};
  private count = 1;

  constructor(
    private readonly host: HTMLElement,
    private readonly strings: () => OptionStrings,
    private readonly onChange: (options: PanelOptions) => void,
  ) {
    host.addEventListener('change', (e) => this.read(e.target as HTMLElement));
  }

  /** Rebuilds the controls for `view` (the chosen model's options) keeping what still applies. */
  render(view: ModelOptionsView | undefined, chosen: PanelOptions, count: number): void {
    this.view = view;
    this.count = count;
    const fitted = fitOptions(chosen, view);
    this.chosen = fitted.options;
    const s = this.strings();
    const controls: HTMLElement[] = [];
    for (const name of CHOICE_OPTIONS) {
      const values = view?.[name];
      if (!values) continue;
      controls.push(
        this.select(
          name,
          s.labels[name],
          [DEFAULT, ...values].map((v) => ({
            value: v,
            label: v === DEFAULT ? s.default : (s.values[v] ?? v),
          })),
          this.chosen[name] ?? DEFAULT,
        ),
      );
    }
    if (view?.outputCompression) {
      const input = h('input', {
        id: 'opt-outputCompression',
        type: 'number',
        min: 0,
        max: 100,
        step: 5,
        placeholder: s.default,
        'data-option': 'outputCompression',
      });
      input.value = this.chosen.outputCompression !== undefined ? String(this.chosen.outputCompression) : '';
      controls.push(
        h(
          'div',
          { class: 'field option', 'data-field': 'outputCompression' },
          h('label', { for: input.id, class: 'field-label' }, s.labels.outputCompression),
          input,
        ),
      );
    }
    if (view?.partialImages) {
      const choices = [
        { value: DEFAULT, label: s.partialDefault },
        { value: '0', label: s.partialOff },
      ];
      for (let i = 1; i <= MAX_PARTIAL_IMAGES; i++) choices.push({ value: String(i), label: String(i) });
      const current = this.chosen.partialImages;
      controls.push(
        this.select(
          'partialImages',
          s.labels.partialImages,
          choices,
          current === undefined ? DEFAULT : String(current),
        ),
      );
    }
    const note = h('div', { id: 'options-note', class: 'hint', 'aria-live': 'polite' });
    this.host.replaceChildren(
      ...(controls.length > 0
        ? [
            h('div', { class: 'options model-options', role: 'group', 'aria-label': s.title }, ...controls),
            note,
          ]
        : []),
    );
    this.host.hidden = controls.length === 0;
    this.refresh(fitted.corrected ? s.formatForTransparency : undefined);
  }

  /** The choices to send with a generation (already fitted to the model). */
  values(): PanelOptions {
    return { ...this.chosen };
  }

  /** Partial images stream one image at a time: with a count above 1 the control says so. */
  setCount(count: number): void {
    this.count = count;
    this.refresh();
  }

  private select(
    name: ChoiceOption | 'partialImages',
    label: string,
    choices: { value: string; label: string }[],
    value: string,
  ): HTMLElement {
    const select = h(
      'select',
      { id: `opt-${name}`, 'data-option': name },
      ...choices.map((c) => h('option', { value: c.value }, c.label)),
    );
    select.value = value;
    return h(
      'div',
      { class: 'field option', 'data-field': name },
      h('label', { for: select.id, class: 'field-label' }, label),
      select,
    );
  }

  private read(target: HTMLElement): void {
    const name = target.dataset.option;
    if (!name) return;
    const raw = (target as HTMLInputElement | HTMLSelectElement).value.trim();
    const next: PanelOptions = { ...this.chosen };
    if (name === 'outputCompression' || name === 'partialImages') {
      const n = Math.round(Number(raw));
      if (raw === '' || !Number.isFinite(n)) delete next[name];
      else next[name] = name === 'outputCompression' ? Math.min(100, Math.max(0, n)) : n;
    } else if ((CHOICE_OPTIONS as readonly string[]).includes(name)) {
      const key = name as ChoiceOption;
      if (raw === DEFAULT) delete next[key];
      else next[key] = raw;
    }
    const fitted = fitOptions(next, this.view);
    // A compression typed while the format is png is kept in the box, not sent.
    if (next.outputCompression !== undefined && fitted.options.outputCompression === undefined)
      fitted.options.outputCompression = next.outputCompression;
    this.chosen = fitted.options;
    if (fitted.corrected) {
      const format = this.host.querySelector<HTMLSelectElement>('#opt-outputFormat');
      if (format) format.value = this.chosen.outputFormat ?? DEFAULT;
    }
    this.refresh(fitted.corrected ? this.strings().formatForTransparency : undefined);
    this.onChange(this.values());
  }

  /** Shows compression only where it applies and says when partial images cannot stream. */
  private refresh(correction?: string): void {
    const s = this.strings();
    const compression = this.host.querySelector<HTMLElement>('[data-field="outputCompression"]');
    if (compression) compression.hidden = !compressionApplies(this.chosen);
    const partial = this.host.querySelector<HTMLSelectElement>('#opt-partialImages');
    const notes: string[] = [];
    if (correction) notes.push(correction);
    if (partial) {
      partial.disabled = this.count > 1;
      if (this.count > 1) notes.push(s.partialOneImage);
    }
    const note = this.host.querySelector<HTMLElement>('#options-note');
    if (note) {
      note.textContent = notes.join(' ');
      note.hidden = notes.length === 0;
    }
  }
}
