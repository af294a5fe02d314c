// The generator panel's page: prompt form, helper chips, progress and the results grid.
import type {
  CatalogModel,
  CatalogView,
  GenerateDoneMessage,
  GeneratorEvents,
  GeneratorInbound,
  GeneratorItemAction,
  GeneratorPageState,
  GeneratorStrings,
  InitMessage,
  RunningGeneration,
} from '../../src/webviews/generator/protocol';
import type { EventHandlers } from '../../src/webviews/kernel/messages';
import { safeLocale } from '../../src/webviews/shared/format';
import type { ItemView } from '../../src/webviews/shared/itemView';
import { chipLanguageFor, toggleIdea } from '../../src/webviews/shared/promptHelpers';
import type { ChipLanguage } from '../../src/webviews/shared/promptHelpers';
import { normalizeSize, sizeAfterModelChange, sizesForModel } from '../../src/webviews/shared/sizes';
import { announcer, byId, h, isMac } from '../shared/dom';
import { format } from '../shared/i18n';
import { connect } from '../shared/vscode';
import { ChipBar } from './chips';
import { ImageInputs } from './editMode';
import { buildLayout } from './layout';
import type { GeneratorElements } from './layout';
import { ModelExtras } from './modelExtras';
import { renderResults as renderResultList } from './results';
import { readSavedState } from './savedState';

const host = connect<GeneratorInbound, GeneratorEvents, GeneratorPageState>();

let strings: GeneratorStrings;
let language = 'en';
let catalog: CatalogView;
let form: GeneratorPageState = { prompt: '', model: '', size: '', n: 1, resultIds: [] };
let results: ItemView[] = [];
/** Sizes of the generations in `results`, newest first. */
let groups: number[] = [];
let locale: string | undefined;
let running: RunningGeneration | undefined;
let initialized = false;

function saveState(): void {
  form.resultIds = results.map((r) => r.id);
  form.resultGroups = groups;
  host.saveState({ ...form });
}

// ---- Elements (created once on init) ----

let el: GeneratorElements;
let chips: ChipBar;
let announce: (text: string) => void;
let imageInputs: ImageInputs;
let extras: ModelExtras;

function build(): void {
  el = buildLayout(strings);
  const {
    promptBox,
    modelSelect,
    sizeInput,
    countInput,
    chipLanguageButton,
    generateButton,
    cancelButton,
    clearResultsButton,
    resultsList,
  } = el;
  announce = announcer(byId('status'));
  extras = new ModelExtras(() => strings.options, saveState);
  imageInputs = new ImageInputs({
    strings: strings.editing,
    announce: (text) => announce(text),
    pick: () =>
      host.request('pickImages', {}).then(
        (reply) => void imageInputs.add(reply.value ?? []),
        () => undefined,
      ),
    onChange: () => {
      const label = generateButton.querySelector('.label');
      if (label) label.textContent = imageInputs.count > 0 ? strings.editing.edit : strings.generate;
    },
  });
  byId('prompt-hint').after(imageInputs.element);
  chips = new ChipBar(
    byId('chips'),
    () => strings,
    (idea) => {
      form.prompt = promptBox.value = toggleIdea(promptBox.value, idea, chipLanguage());
      renderChips();
      saveState();
    },
  );

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
    extras.render(currentModel(), form);
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
    extras.setCount(form.n);
    saveState();
  });
  chipLanguageButton.addEventListener('click', () => {
    form.chipLanguage = chipLanguage() === 'zh' ? 'en' : 'zh';
    renderChips(true);
    saveState();
  });
  generateButton.addEventListener('click', startGeneration);
  cancelButton.addEventListener('click', cancelGeneration);
  clearResultsButton.addEventListener('click', () => {
    results = [];
    groups = [];
    host.post('clearResults', {});
    renderResults();
    saveState();
    promptBox.focus();
  });
  resultsList.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const tile = button?.closest<HTMLElement>('[data-id]');
    if (!button || !tile?.dataset.id || button.disabled) return;
    host.request(button.dataset.action as GeneratorItemAction, { id: tile.dataset.id }).then(
      (reply) => reply.message && announce(reply.message),
      () => undefined,
    );
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
  el.modelSelect.replaceChildren(...options);
  el.modelSelect.value = form.model;
}

function renderSizeOptions(): void {
  el.sizeOptions.replaceChildren(
    ...sizesForModel(currentModel()?.sizes).map((size) => h('option', { value: size })),
  );
}

function validateSize(): boolean {
  const ok = normalizeSize(el.sizeInput.value) !== undefined;
  el.sizeInput.setAttribute('aria-invalid', String(!ok));
  el.sizeError.textContent = ok ? '' : strings.sizeInvalid;
  return ok;
}

function chipLanguage(): ChipLanguage {
  return form.chipLanguage ?? chipLanguageFor(form.prompt, language);
}

function renderChips(force = false): void {
  const lang = chipLanguage();
  el.chipLanguageButton.textContent = lang === 'zh' ? '中文 ⇄ EN' : 'EN ⇄ 中文';
  el.chipLanguageButton.setAttribute(
    'aria-label',
    `${strings.chipLanguage}: ${lang === 'zh' ? '中文' : 'English'}`,
  );
  chips.render(form.prompt, lang, force);
}

// ---- Generation ----

function startGeneration(): void {
  if (running || !initialized) return;
  const prompt = el.promptBox.value.trim();
  if (!prompt) {
    announce(strings.promptRequired);
    el.promptBox.focus();
    return;
  }
  const size = normalizeSize(el.sizeInput.value);
  if (!size || !validateSize()) {
    el.sizeInput.focus();
    return;
  }
  const model = el.modelSelect.value || form.model;
  if (!model) {
    el.modelSelect.focus();
    return;
  }
  const requestId = host.nextRequestId();
  showError(undefined);
  running = { requestId, done: 0, total: form.n };
  if (imageInputs.count > 0) {
    // With images the request is an edit: the first image is changed, the others guide it.
    void imageInputs
      .request()
      .then(({ images, mask }) =>
        host.post('edit', { requestId, prompt, model, size, n: form.n, images, mask }),
      );
  } else host.post('generate', { requestId, prompt, model, size, n: form.n, options: extras.chosen() });

  renderRunning();
}

function cancelGeneration(): void {
  if (running) host.post('cancel', { requestId: running.requestId });
}

/** The reason a generation failed, next to the Generate button (the notification says the same). */
function showError(text: string | undefined): void {
  el.generateError.hidden = !text;
  el.generateError.textContent = text ?? '';
  el.generateButton.toggleAttribute('aria-describedby', false);
  if (text) el.generateButton.setAttribute('aria-describedby', 'generate-error');
}

function renderRunning(): void {
  const busy = !!running;
  el.generateButton.disabled = busy;
  el.cancelButton.hidden = !busy;
  el.progressBar.hidden = !busy;
  document.body.classList.toggle('busy', busy);
  if (running) {
    el.progressBar.max = Math.max(1, running.total);
    el.progressBar.value = running.done;
    el.progressText.textContent = format(strings.progress, running.done, running.total);
    // Keep keyboard users where they are, unless the Generate button they pressed went disabled.
    if (document.activeElement === el.generateButton || document.activeElement === document.body)
      el.cancelButton.focus();
  }
}

function finishGeneration(message: GenerateDoneMessage): void {
  // The host runs one generation at a time, so whatever finished is the one shown as running.
  const hadFocus = document.activeElement === el.cancelButton;
  running = undefined;
  results = message.results;
  groups = message.groups;
  extras.finished(message.requestId);
  renderRunning();
  renderResults();
  saveState();
  el.progressText.textContent =
    message.status === 'done'
      ? message.added === 1
        ? strings.generatedOne
        : format(strings.generatedMany, message.added)
      : message.status === 'cancelled'
        ? strings.cancelled
        : strings.failed;
  showError(message.status === 'failed' ? (message.error ?? strings.failed) : undefined);
  if (hadFocus) {
    const first = el.resultsList.querySelector<HTMLButtonElement>('button[data-action]');
    (message.status === 'done' && first ? first : el.generateButton).focus();
  }
}

// ---- Results ----

function renderResults(): void {
  el.noResults.hidden = results.length > 0;
  el.clearResultsButton.hidden = results.length === 0;
  renderResultList(el.resultsList, results, groups, strings, locale);
}

// ---- Messages ----

function init(message: InitMessage): void {
  strings = message.strings;
  language = message.language;
  locale = safeLocale(message.language);
  catalog = message.catalog;
  document.title = strings.title;
  // The page's own state is the latest; the host's copy is for a panel revived without it.
  const own = readSavedState(host.savedState());
  const saved = Object.keys(own).length > 0 ? own : readSavedState(message.restored);
  const firstModel = catalog.defaultModel || catalog.models[0]?.id || '';
  form = {
    prompt: message.prompt ?? saved.prompt ?? '',
    model: message.model || saved.model || firstModel,
    size: message.size || saved.size || catalog.defaultSize,
    n: saved.n ?? catalog.count,
    resultIds: [],
    chipLanguage: saved.chipLanguage,
    options: saved.options,
  };
  results = message.results;
  groups = message.groups;
  running = message.running;
  if (!initialized) build();
  initialized = true;
  el.promptBox.value = form.prompt;
  renderModels();
  el.sizeInput.value = form.size;
  renderSizeOptions();
  extras.render(currentModel(), form);
  validateSize();
  el.countInput.value = String(form.n);
  renderChips(true);
  renderResults();
  renderRunning();
  saveState();
  document.body.dataset.ready = 'true';
  if (!running) {
    el.promptBox.focus();
    el.promptBox.setSelectionRange(el.promptBox.value.length, el.promptBox.value.length);
  }
}

const handlers: EventHandlers<GeneratorEvents> = {
  init,
  setPrompt: (message) => {
    form.prompt = el.promptBox.value = message.prompt;
    if (message.model) {
      form.model = message.model;
      renderModels();
      renderSizeOptions();
      extras.render(currentModel(), form);
    }
    if (message.size) form.size = el.sizeInput.value = message.size;
    validateSize();
    renderChips();
    saveState();
    el.promptBox.focus();
  },
  progress: (message) => {
    if (!running || running.requestId !== message.requestId)
      running = { requestId: message.requestId, done: 0, total: message.total };
    running.done = message.done;
    running.total = message.total;
    renderRunning();
  },
  generateDone: finishGeneration,
  results: (message) => {
    results = message.results;
    groups = message.groups;
    renderResults();
    saveState();
  },
  partial: (message) => extras.partial(message, running),
};
host.listen(handlers, () => initialized);
host.post('ready', {});
