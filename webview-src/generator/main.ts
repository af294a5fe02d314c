// The generator panel's page: prompt form, helper chips, progress and the results grid.
import type {
  CatalogModel,
  CatalogView,
  GenerateDoneMessage,
  GeneratorEvent,
  GeneratorPageState,
  GeneratorRequest,
  GeneratorStrings,
  InitMessage,
  RunningGeneration,
} from '../../src/webviews/generator/protocol';
import type { ItemView } from '../../src/webviews/shared/itemView';
import { CHIP_GROUPS, chipLanguageFor, hasTerm, toggleTerm } from '../../src/webviews/shared/promptHelpers';
import type { ChipLanguage } from '../../src/webviews/shared/promptHelpers';
import { normalizeSize, sizeAfterModelChange, sizesForModel } from '../../src/webviews/shared/sizes';
import { announcer, byId, h, icon, isMac, textButton } from '../shared/dom';
import { format } from '../shared/i18n';
import { connect } from '../shared/vscode';
import type { PanelOptions } from '../../src/webviews/shared/modelOptions';
import { ImageInputs } from './editMode';
import { OptionControls } from './options';
import { PartialPreview } from './partials';

type ItemAction = 'insertFile' | 'insertUrl' | 'copyMarkdown' | 'open';

const host = connect<GeneratorRequest, GeneratorPageState>();

let strings: GeneratorStrings;
let language = 'en';
let catalog: CatalogView;
let form: GeneratorPageState = { prompt: '', model: '', size: '', n: 1, resultIds: [] };
let results: ItemView[] = [];
let running: RunningGeneration | undefined;
let initialized = false;

/** Accepts the saved state only when every field has the expected type. */
function readSavedState(s: unknown): Partial<GeneratorPageState> {
  if (typeof s !== 'object' || s === null) return {};
  const o = s as Record<string, unknown>;
  const out: Partial<GeneratorPageState> = {};
  if (typeof o.prompt === 'string') out.prompt = o.prompt;
  if (typeof o.model === 'string') out.model = o.model;
  if (typeof o.size === 'string') out.size = o.size;
  if (typeof o.n === 'number' && Number.isInteger(o.n) && o.n >= 1 && o.n <= 10) out.n = o.n;
  if (Array.isArray(o.resultIds))
    out.resultIds = o.resultIds.filter((x): x is string => typeof x === 'string');
  if (o.chipLanguage === 'zh' || o.chipLanguage === 'en') out.chipLanguage = o.chipLanguage;
  // Fitted to the model before use: values it does not offer are dropped.
  if (typeof o.options === 'object' && o.options !== null) out.options = o.options as PanelOptions;
  return out;
}

function saveState(): void {
  form.resultIds = results.map((r) => r.id);
  host.saveState({ ...form });
}

// ---- Elements (created once on init) ----

let promptBox: HTMLTextAreaElement;
let modelSelect: HTMLSelectElement;
let sizeInput: HTMLInputElement;
let sizeOptions: HTMLDataListElement;
let sizeError: HTMLElement;
let countInput: HTMLInputElement;
let chipsHost: HTMLElement;
let chipLanguageButton: HTMLButtonElement;
let generateButton: HTMLButtonElement;
let cancelButton: HTMLButtonElement;
let progressBar: HTMLProgressElement;
let progressText: HTMLElement;
let resultsList: HTMLElement;
let noResults: HTMLElement;
let clearResultsButton: HTMLButtonElement;
let announce: (text: string) => void;
let imageInputs: ImageInputs;
let optionControls: OptionControls;
let partials: PartialPreview;

function build(): void {
  const s = strings;
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
        (promptBox = h('textarea', {
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
            (chipLanguageButton = h('button', {
              type: 'button',
              id: 'chip-language',
              class: 'link-button',
              title: s.chipLanguage,
            })),
          ),
          (chipsHost = h('div', { id: 'chips', class: 'chip-groups' })),
        ),
        h(
          'div',
          { class: 'options' },
          h(
            'div',
            { class: 'field' },
            h('label', { for: 'model', class: 'field-label' }, s.model),
            (modelSelect = h('select', { id: 'model' })),
          ),
          h(
            'div',
            { class: 'field' },
            h('label', { for: 'size', class: 'field-label' }, s.size),
            (sizeInput = h('input', {
              id: 'size',
              type: 'text',
              list: 'size-options',
              autocomplete: 'off',
              spellcheck: 'false',
              inputmode: 'text',
              'aria-describedby': 'size-error',
            })),
            (sizeOptions = h('datalist', { id: 'size-options' })),
          ),
          h(
            'div',
            { class: 'field field-count' },
            h('label', { for: 'count', class: 'field-label' }, s.count),
            (countInput = h('input', { id: 'count', type: 'number', min: 1, max: 10, step: 1 })),
          ),
        ),
        (sizeError = h('div', { id: 'size-error', class: 'error' })),
        h('div', { id: 'model-options', class: 'model-options-box', hidden: true }),
        h(
          'div',
          { class: 'actions' },
          (generateButton = textButton(s.generate, 'sparkle', { id: 'generate', class: 'primary' })),
          (cancelButton = textButton(s.cancel, 'close', { id: 'cancel', class: 'secondary', hidden: true })),
          (progressBar = h('progress', { id: 'progress-bar', hidden: true })),
          (progressText = h('span', {
            id: 'progress',
            class: 'progress-text',
            role: 'status',
            'aria-live': 'polite',
          })),
        ),
      ),
      h(
        'section',
        { class: 'results', 'aria-labelledby': 'results-title' },
        h(
          'div',
          { class: 'results-header' },
          h('h2', { id: 'results-title' }, s.results),
          (clearResultsButton = textButton(s.clearResults, 'clear-all', {
            id: 'clear-results',
            class: 'secondary small',
          })),
        ),
        (noResults = h('p', { id: 'no-results', class: 'muted' }, s.noResults)),
        h('div', { id: 'partial-preview', class: 'partial-preview', hidden: true }),
        (resultsList = h('ul', { id: 'results', class: 'grid', 'aria-labelledby': 'results-title' })),
      ),
      h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    ),
  );
  announce = announcer(byId('status'));
  optionControls = new OptionControls(
    byId('model-options'),
    () => strings.options,
    (options) => {
      form.options = options;
      saveState();
    },
  );
  partials = new PartialPreview(byId('partial-preview'), () => strings.options);
  imageInputs = new ImageInputs({
    strings: s.editing,
    announce: (text) => announce(text),
    pick: () => host.post({ type: 'pickImages', requestId: host.nextRequestId() }),
    onChange: () => {
      const label = generateButton.querySelector('.label');
      if (label) label.textContent = imageInputs.count > 0 ? s.editing.edit : s.generate;
    },
  });
  byId('prompt-hint').after(imageInputs.element);

  promptBox.addEventListener('input', () => {
    form.prompt = promptBox.value;
    renderChips();
    saveState();
  });
  // Ctrl/Cmd+Enter generates from anywhere in the form; Escape cancels a running generation.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (isMac ? e.metaKey : e.ctrlKey) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      startGeneration();
    } else if (e.key === 'Escape' && running) {
      e.preventDefault();
      cancelGeneration();
    }
  });
  modelSelect.addEventListener('change', () => {
    form.model = modelSelect.value;
    const model = currentModel();
    form.size = sizeAfterModelChange(
      normalizeSize(sizeInput.value) ?? sizeInput.value,
      model?.sizes,
      catalog.defaultSize,
    );
    sizeInput.value = form.size;
    renderSizeOptions();
    renderOptions();
    validateSize();
    saveState();
  });
  sizeInput.addEventListener('input', () => {
    form.size = sizeInput.value;
    validateSize();
    saveState();
  });
  sizeInput.addEventListener('change', () => {
    const canonical = normalizeSize(sizeInput.value);
    if (canonical && canonical !== sizeInput.value) sizeInput.value = form.size = canonical;
    validateSize();
    saveState();
  });
  countInput.addEventListener('change', () => {
    const n = Math.round(Number(countInput.value));
    form.n = Number.isFinite(n) ? Math.min(10, Math.max(1, n)) : 1;
    countInput.value = String(form.n);
    optionControls.setCount(form.n);
    saveState();
  });
  chipLanguageButton.addEventListener('click', () => {
    form.chipLanguage = chipLanguage() === 'zh' ? 'en' : 'zh';
    renderChips(true);
    saveState();
  });
  chipsHost.addEventListener('click', (e) => {
    const chip = (e.target as HTMLElement).closest<HTMLButtonElement>('button.chip');
    const term = chip?.dataset.chip;
    if (!chip || !term) return;
    form.prompt = promptBox.value = toggleTerm(promptBox.value, term);
    renderChips();
    saveState();
  });
  generateButton.addEventListener('click', startGeneration);
  cancelButton.addEventListener('click', cancelGeneration);
  clearResultsButton.addEventListener('click', () => {
    results = [];
    host.post({ type: 'clearResults' });
    renderResults();
    saveState();
    promptBox.focus();
  });
  resultsList.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const tile = button?.closest<HTMLElement>('[data-id]');
    if (!button || !tile?.dataset.id || button.disabled) return;
    host.post({
      type: button.dataset.action as ItemAction,
      requestId: host.nextRequestId(),
      id: tile.dataset.id,
    });
  });
}

// ---- Form ----

function currentModel(): CatalogModel | undefined {
  return catalog.models.find((m) => m.id === form.model);
}

function renderModels(): void {
  const options = catalog.models.map((m) =>
    h('option', { value: m.id, title: m.id }, m.label && m.label !== m.id ? `${m.label} (${m.id})` : m.id),
  );
  // A model that is no longer in the catalog (typed in settings once) stays selectable.
  if (form.model && !catalog.models.some((m) => m.id === form.model))
    options.push(h('option', { value: form.model }, form.model));
  modelSelect.replaceChildren(...options);
  modelSelect.value = form.model;
}

function renderSizeOptions(): void {
  sizeOptions.replaceChildren(
    ...sizesForModel(currentModel()?.sizes).map((size) => h('option', { value: size })),
  );
}

function validateSize(): boolean {
  const ok = normalizeSize(sizeInput.value) !== undefined;
  sizeInput.setAttribute('aria-invalid', String(!ok));
  sizeError.textContent = ok ? '' : strings.sizeInvalid;
  return ok;
}

function chipLanguage(): ChipLanguage {
  return form.chipLanguage ?? chipLanguageFor(form.prompt, language);
}

let renderedChipLanguage: ChipLanguage | undefined;

/** Rebuilds the chips when their language changes, otherwise only their pressed state. */
function renderChips(force = false): void {
  const lang = chipLanguage();
  chipLanguageButton.textContent = lang === 'zh' ? '中文 ⇄ EN' : 'EN ⇄ 中文';
  chipLanguageButton.setAttribute(
    'aria-label',
    `${strings.chipLanguage}: ${lang === 'zh' ? '中文' : 'English'}`,
  );
  if (force || lang !== renderedChipLanguage) {
    renderedChipLanguage = lang;
    const titles = { quality: strings.quality, style: strings.style, lighting: strings.lighting };
    chipsHost.replaceChildren(
      ...CHIP_GROUPS.map((group) =>
        h(
          'div',
          { class: 'chip-group', role: 'group', 'aria-labelledby': `chips-${group.id}` },
          h('span', { id: `chips-${group.id}`, class: 'chip-group-title' }, titles[group.id]),
          ...group.terms[lang].map((term) =>
            h('button', { type: 'button', class: 'chip', 'data-chip': term, 'data-group': group.id }, term),
          ),
        ),
      ),
    );
  }
  for (const chip of chipsHost.querySelectorAll<HTMLButtonElement>('button.chip')) {
    const pressed = hasTerm(form.prompt, chip.dataset.chip ?? '');
    chip.setAttribute('aria-pressed', String(pressed));
    chip.title = pressed ? strings.chipToggleRemove : strings.chipToggleAdd;
  }
}

// ---- Generation ----

function startGeneration(): void {
  if (running || !initialized) return;
  const prompt = promptBox.value.trim();
  if (!prompt) {
    announce(strings.promptRequired);
    promptBox.focus();
    return;
  }
  const size = normalizeSize(sizeInput.value);
  if (!size || !validateSize()) {
    sizeInput.focus();
    return;
  }
  const model = modelSelect.value || form.model;
  if (!model) {
    modelSelect.focus();
    return;
  }
  const requestId = host.nextRequestId();
  running = { requestId, done: 0, total: form.n };
  if (imageInputs.count > 0) {
    // With images the request is an edit: the first image is changed, the others guide it.
    void imageInputs
      .request()
      .then(({ images, mask }) =>
        host.post({ type: 'edit', requestId, prompt, model, size, n: form.n, images, mask }),
      );
  } else {
    const options = optionControls.values();
    host.post({ type: 'generate', requestId, prompt, model, size, n: form.n, options });
  }
  partials.clear();
  renderRunning();
}

function cancelGeneration(): void {
  if (running) host.post({ type: 'cancel', requestId: running.requestId });
}

function renderRunning(): void {
  const busy = !!running;
  generateButton.disabled = busy;
  cancelButton.hidden = !busy;
  progressBar.hidden = !busy;
  document.body.classList.toggle('busy', busy);
  if (running) {
    progressBar.max = Math.max(1, running.total);
    progressBar.value = running.done;
    progressText.textContent = format(strings.progress, running.done, running.total);
    // Keep keyboard users where they are, unless the Generate button they pressed went disabled.
    if (document.activeElement === generateButton || document.activeElement === document.body)
      cancelButton.focus();
  }
}

/** The chosen model's option controls (none when it takes none). */
function renderOptions(): void {
  optionControls.render(currentModel()?.options, form.options ?? {}, form.n);
  form.options = optionControls.values();
}

function finishGeneration(message: GenerateDoneMessage): void {
  // The host runs one generation at a time, so whatever finished is the one shown as running.
  const hadFocus = document.activeElement === cancelButton;
  running = undefined;
  results = message.results;
  partials.clear(message.requestId);
  renderRunning();
  renderResults();
  saveState();
  progressText.textContent =
    message.status === 'done'
      ? message.added === 1
        ? strings.generatedOne
        : format(strings.generatedMany, message.added)
      : message.status === 'cancelled'
        ? strings.cancelled
        : strings.failed;
  if (hadFocus) {
    const first = resultsList.querySelector<HTMLButtonElement>('button[data-action]');
    (message.status === 'done' && first ? first : generateButton).focus();
  }
}

// ---- Results ----

function renderResults(): void {
  const focused = document.activeElement as HTMLElement | null;
  const focusId = focused?.closest<HTMLElement>('[data-id]')?.dataset.id;
  const focusAction = focused?.dataset.action;
  noResults.hidden = results.length > 0;
  clearResultsButton.hidden = results.length === 0;
  resultsList.replaceChildren(...results.map(renderTile));
  if (focusId && focusAction) {
    resultsList
      .querySelector<HTMLElement>(
        `[data-id="${CSS.escape(focusId)}"] [data-action="${CSS.escape(focusAction)}"]`,
      )
      ?.focus();
  }
}

function renderTile(item: ItemView): HTMLLIElement {
  const s = strings;
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
  const button = (action: ItemAction, label: string, iconName: string, enabled: boolean, reason?: string) =>
    textButton(label, iconName, {
      class: 'secondary small',
      'data-action': action,
      disabled: !enabled,
      title: enabled ? label : reason,
    });
  return h(
    'li',
    { class: 'tile', 'data-id': item.id, 'aria-label': alt },
    frame,
    h(
      'div',
      { class: 'tile-meta', title: item.prompt },
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
}

// ---- Messages ----

function init(message: InitMessage): void {
  strings = message.strings;
  language = message.language;
  catalog = message.catalog;
  document.title = strings.title;
  // The page's own state is the latest; the host's copy is for a panel revived without it.
  const own = readSavedState(host.savedState());
  const saved = Object.keys(own).length > 0 ? own : readSavedState(message.restored);
  const firstModel = catalog.defaultModel || catalog.models[0]?.id || '';
  form = {
    prompt: message.prompt ?? saved.prompt ?? '',
    model: saved.model || firstModel,
    size: saved.size || catalog.defaultSize,
    n: saved.n ?? catalog.count,
    resultIds: [],
    chipLanguage: saved.chipLanguage,
    options: saved.options,
  };
  results = message.results;
  running = message.running;
  if (!initialized) build();
  initialized = true;
  promptBox.value = form.prompt;
  renderModels();
  sizeInput.value = form.size;
  renderSizeOptions();
  renderOptions();
  validateSize();
  countInput.value = String(form.n);
  renderChips(true);
  renderResults();
  renderRunning();
  saveState();
  document.body.dataset.ready = 'true';
  if (!running) {
    promptBox.focus();
    promptBox.setSelectionRange(promptBox.value.length, promptBox.value.length);
  }
}

host.onMessage((raw) => {
  const message = raw as GeneratorEvent;
  if (message.type !== 'init' && !initialized) return;
  switch (message.type) {
    case 'init':
      return init(message);
    case 'setPrompt':
      form.prompt = promptBox.value = message.prompt;
      renderChips();
      saveState();
      promptBox.focus();
      return;
    case 'progress':
      if (!running || running.requestId !== message.requestId)
        running = { requestId: message.requestId, done: 0, total: message.total };
      running.done = message.done;
      running.total = message.total;
      return renderRunning();
    case 'generateDone':
      return finishGeneration(message);
    case 'results':
      results = message.results;
      renderResults();
      saveState();
      return;
    case 'reply':
      if (message.message) announce(message.message);
      return;
    case 'partial':
      if (running?.requestId === message.requestId)
        partials.show(message.requestId, message.index, message.src);
      return;
    case 'imagesPicked':
      void imageInputs.add(message.files);
      return;
  }
});

host.post({ type: 'ready' });
