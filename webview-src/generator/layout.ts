// The generator page's elements, built once: the form, its actions and the results list.
import type { GeneratorStrings } from '../../src/webviews/generator/protocol';
import { byId, h, isMac, textButton } from '../shared/dom';
import { format } from '../shared/i18n';

export interface GeneratorElements {
  promptBox: HTMLTextAreaElement;
  modelSelect: HTMLSelectElement;
  sizeInput: HTMLInputElement;
  sizeOptions: HTMLDataListElement;
  sizeError: HTMLElement;
  generateError: HTMLElement;
  countInput: HTMLInputElement;
  chipLanguageButton: HTMLButtonElement;
  generateButton: HTMLButtonElement;
  cancelButton: HTMLButtonElement;
  progressBar: HTMLProgressElement;
  progressText: HTMLElement;
  resultsList: HTMLElement;
  noResults: HTMLElement;
  clearResultsButton: HTMLButtonElement;
}

export function buildLayout(s: GeneratorStrings): GeneratorElements {
  const e = {} as GeneratorElements;
  const chord = isMac ? '⌘Enter' : 'Ctrl+Enter';
  const app = byId('app');
  app.replaceChildren(
    h(
      'main',
      { class: 'generator' },
      h(
        'section',
        { class: 'form', 'aria-label': s.title },
        h('label', { for: 'prompt', class: 'field-label' }, s.prompt),
        (e.promptBox = h('textarea', {
          id: 'prompt',
          rows: 5,
          // The host refuses longer prompts (src/webviews/generator/schema.ts).
          maxlength: '32000',
          placeholder: s.promptPlaceholder,
          'aria-describedby': 'prompt-hint',
          spellcheck: 'true',
        })),
        h('div', { id: 'prompt-hint', class: 'hint' }, format(s.generateHint, chord)),
        h(
          'div',
          { class: 'helpers', role: 'group', 'aria-labelledby': 'helpers-title' },
          h(
            'div',
            { class: 'helpers-header' },
            h('span', { id: 'helpers-title', class: 'field-label' }, s.helpers),
            (e.chipLanguageButton = h('button', {
              type: 'button',
              id: 'chip-language',
              class: 'link-button',
              title: s.chipLanguage,
            })),
          ),
          h('div', { id: 'chips', class: 'chip-groups' }),
        ),
        h(
          'div',
          { class: 'options' },
          h(
            'div',
            { class: 'field' },
            h('label', { for: 'model', class: 'field-label' }, s.model),
            (e.modelSelect = h('select', { id: 'model' })),
          ),
          h(
            'div',
            { class: 'field' },
            h('label', { for: 'size', class: 'field-label' }, s.size),
            (e.sizeInput = h('input', {
              id: 'size',
              type: 'text',
              list: 'size-options',
              autocomplete: 'off',
              spellcheck: 'false',
              inputmode: 'text',
              'aria-describedby': 'size-error',
            })),
            (e.sizeOptions = h('datalist', { id: 'size-options' })),
          ),
          h(
            'div',
            { class: 'field field-count' },
            h('label', { for: 'count', class: 'field-label' }, s.count),
            (e.countInput = h('input', { id: 'count', type: 'number', min: 1, max: 10, step: 1 })),
          ),
        ),
        (e.sizeError = h('div', { id: 'size-error', class: 'error' })),
        h(
          'div',
          { class: 'actions' },
          (e.generateButton = textButton(s.generate, 'sparkle', { id: 'generate', class: 'primary' })),
          (e.cancelButton = textButton(s.cancel, 'close', {
            id: 'cancel',
            class: 'secondary',
            hidden: true,
          })),
          (e.progressBar = h('progress', { id: 'progress-bar', hidden: true })),
          (e.progressText = h('span', {
            id: 'progress',
            class: 'progress-text',
            role: 'status',
            'aria-live': 'polite',
          })),
        ),
        (e.generateError = h('div', {
          id: 'generate-error',
          class: 'error generate-error',
          role: 'alert',
          hidden: true,
        })),
        // The chosen model's option controls (modelExtras.ts), after Generate so the path from the
        // prompt to Generate stays short; hidden for a model that takes none.
        h('div', { id: 'model-options', class: 'model-options-box', hidden: true }),
      ),
      h(
        'section',
        { class: 'results', 'aria-labelledby': 'results-title' },
        h(
          'div',
          { class: 'results-header' },
          h('h2', { id: 'results-title' }, s.results),
          (e.clearResultsButton = textButton(s.clearResults, 'clear-all', {
            id: 'clear-results',
            class: 'secondary small',
          })),
        ),
        (e.noResults = h('p', { id: 'no-results', class: 'muted' }, s.noResults)),
        h('div', { id: 'partial-preview', class: 'partial-preview', hidden: true }),
        (e.resultsList = h('ul', {
          id: 'results',
          class: 'generations',
          'aria-labelledby': 'results-title',
        })),
      ),
      h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    ),
  );
  return e;
}
