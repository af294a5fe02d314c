import * as vscode from 'vscode';
import type { HistoryItem } from '../../core/history';
import type { WebviewDeps } from '../deps';
import { WebviewHost } from '../kernel/host';
import type { Handlers } from '../kernel/host';
import type { Reply } from '../kernel/messages';
import { errorText, toItemView, webviewOptions } from '../webviewHost';
import { parse } from '../validate';
import { GENERATOR_VIEW_TYPE, generatorInbound, generatorPageState } from './protocol';
import type { ItemView } from '../shared/itemView';
import type {
  EditMessage,
  GenerateMessage,
  GeneratorEvents,
  GeneratorInbound,
  GeneratorPageState,
  RunningGeneration,
} from './protocol';
import { editRequestOf, pickImages } from './panelEdit';
import { optionRun, type OptionRun } from './panelOptions';
import { addGroup, restoredGroups } from './resultGroups';
import { loadCatalog } from './catalogView';
import { showRestoredTab } from './restoredTab';
import { generatorStrings } from './strings';

export interface GeneratorOpenOptions {
  /** Put into the prompt box (replacing what is there). */
  prompt?: string;
  /** With a reused prompt: the model and size it was made with. */
  model?: string;
  size?: string;
  /** The document that Insert targets; the last active text editor when undefined. */
  targetDocument?: vscode.Uri;
}

/** How long a restored tab may take to be revived before a new panel is opened instead. */
const REVIVE_WAIT_MS = 3000;

/** Results kept in the panel (newest first); older ones stay in the gallery. */
const MAX_RESULTS = 60;

/**
 * The single "Image Generator" editor panel. Its page is not retained while hidden: the form is
 * restored from the page's `setState`, results and a running generation from this object.
 */
export class GeneratorPanel extends WebviewHost<GeneratorInbound, GeneratorEvents> {
  static readonly viewType = GENERATOR_VIEW_TYPE;
  private static currentPanel: GeneratorPanel | undefined;

  /** The open panel, if any (tests and the serializer look at it). */
  static get current(): GeneratorPanel | undefined {
    return GeneratorPanel.currentPanel;
  }

  private static revived: (() => void) | undefined;

  /**
   * After a reload VS Code restores the panel's tab but revives it (through the serializer) only
   * once it is shown: bring that tab to the front and use it, rather than opening a second panel.
   */
  static async reviveRestoredTab(): Promise<GeneratorPanel | undefined> {
    if (GeneratorPanel.currentPanel) return GeneratorPanel.currentPanel;
    const revived = new Promise<void>((resolve) => (GeneratorPanel.revived = resolve));
    try {
      if (!(await showRestoredTab(GENERATOR_VIEW_TYPE))) return undefined;
      await Promise.race([revived, new Promise((r) => setTimeout(r, REVIVE_WAIT_MS))]);
      return GeneratorPanel.currentPanel;
    } finally {
      GeneratorPanel.revived = undefined;
    }
  }

  /** Opens the panel, or reveals the open one; a given prompt replaces the one in the box. */
  static createOrShow(deps: WebviewDeps, options: GeneratorOpenOptions = {}): GeneratorPanel {
    const existing = GeneratorPanel.currentPanel;
    if (existing) {
      if (options.targetDocument) existing.targetDocument = options.targetDocument;
      existing.panel.reveal(undefined, false);
      if (options.prompt !== undefined) existing.setPrompt(options.prompt, options.model, options.size);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      GENERATOR_VIEW_TYPE,
      vscode.l10n.t('Image Generator'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { ...webviewOptions(deps), retainContextWhenHidden: false, enableFindWidget: false },
    );
    return new GeneratorPanel(deps, panel, options);
  }

  /** Restores a panel VS Code kept across a reload; `state` is the page's last `setState`, unchecked. */
  static revive(deps: WebviewDeps, panel: vscode.WebviewPanel, state: unknown): GeneratorPanel {
    const parsed = state === undefined || state === null ? undefined : parse(generatorPageState, state);
    if (parsed && !parsed.ok) deps.log.warn(`Ignored the saved generator state: ${parsed.error}`);
    panel.webview.options = webviewOptions(deps);
    return new GeneratorPanel(deps, panel, { restored: parsed?.ok ? parsed.value : undefined });
  }

  private pendingPrompt: Pick<GeneratorOpenOptions, 'prompt' | 'model' | 'size'> | undefined;
  /** The results shown, one list of ids per generation, newest first. */
  private resultGroups: string[][] = [];
  private running: (RunningGeneration & { controller: AbortController }) | undefined;
  private targetDocument: vscode.Uri | undefined;
  private readonly restoredForm: GeneratorPageState | undefined;

  private constructor(
    deps: WebviewDeps,
    readonly panel: vscode.WebviewPanel,
    init: GeneratorOpenOptions & { restored?: GeneratorPageState },
  ) {
    super(deps, 'generator', 'Generator panel', generatorInbound);
    GeneratorPanel.currentPanel = this;
    GeneratorPanel.revived?.();
    if (init.prompt !== undefined)
      this.pendingPrompt = { prompt: init.prompt, model: init.model, size: init.size };
    this.targetDocument = init.targetDocument;
    this.resultGroups = restoredGroups(init.restored, MAX_RESULTS);
    this.restoredForm = init.restored;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this.attach(panel.webview, { title: vscode.l10n.t('Image Generator') });
    this._register(panel.onDidDispose(() => this.dispose()));
    // A hidden page is destroyed; it says `ready` again when shown.
    this._register(panel.onDidChangeViewState(() => panel.visible || this.pageGone()));
    this._register(deps.history.onDidChange(() => this.onHistoryChanged()));
  }

  /** The document Insert targets (undefined: the last active text editor). */
  get target(): vscode.Uri | undefined {
    return this.targetDocument;
  }

  /** Ids of the results shown, newest first. */
  get results(): readonly string[] {
    const known = new Set(this.deps.history.list().map((i) => i.id));
    return this.resultGroups.flat().filter((id) => known.has(id));
  }

  setPrompt(prompt: string, model?: string, size?: string): void {
    if (this.isReady) void this.postIfReady({ type: 'setPrompt', prompt, model, size });
    else this.pendingPrompt = { prompt, model, size };
  }

  protected readonly handlers: Handlers<GeneratorInbound, GeneratorEvents> = {
    ready: () => this.init(),
    generate: (message) => this.generate(message),
    edit: (message) => this.generate(message),
    cancel: (message) => {
      if (this.running?.requestId === message.requestId) this.running.controller.abort();
    },
    clearResults: () => {
      this.resultGroups = [];
    },
    pickImages: async () => ({ ok: true, value: await pickImages() }),
    insertFile: (m) => this.withItem(m.id, (item) => this.insert(item, 'file')),
    insertUrl: (m) => this.withItem(m.id, (item) => this.insert(item, 'url')),
    copyMarkdown: (m) =>
      this.withItem(m.id, async (item) => {
        const text = await this.deps.snippet(item, this.targetDocument);
        if (text === undefined) return { ok: false };
        await this.deps.ui.copy(text);
        return { ok: true, message: vscode.l10n.t('Copied to the clipboard.') };
      }),
    open: (m) => this.withItem(m.id, async (item) => (await this.deps.open(item), { ok: true })),
  };

  /** A refused `generate` or `edit` (e.g. a prompt over the length limit) still ends the page's "Generating…". */
  protected override refused(raw: unknown): void {
    const r = raw as { type?: unknown; requestId?: unknown } | null;
    const generation = !!r && (r.type === 'generate' || r.type === 'edit');
    if (!generation || !Number.isSafeInteger(r.requestId) || (r.requestId as number) < 0)
      return super.refused(raw);
    void this.postIfReady({
      type: 'generateDone',
      requestId: r.requestId as number,
      status: 'failed',
      added: 0,
      ...this.resultViews(),
    });
  }

  private async init() {
    const catalog = await loadCatalog(this.deps);
    const pending = this.pendingPrompt;
    this.pendingPrompt = undefined;
    const running = this.running && {
      requestId: this.running.requestId,
      done: this.running.done,
      total: this.running.total,
    };
    return {
      type: 'init' as const,
      strings: generatorStrings(),
      language: vscode.env.language,
      catalog,
      ...this.resultViews(),
      prompt: pending?.prompt,
      model: pending?.model,
      size: pending?.size,
      running,
      restored: this.restoredForm,
    };
  }

  /** The results as the page sees them, with the size of each generation (items gone are left out). */
  private resultViews(): { results: ItemView[]; groups: number[] } {
    const byId = new Map(this.deps.history.list().map((i) => [i.id, i] as const));
    const results: ItemView[] = [];
    const groups: number[] = [];
    for (const group of this.resultGroups) {
      const views = group.flatMap((id) => {
        const item = byId.get(id);
        return item ? [toItemView(item, this.panel.webview, this.deps)] : [];
      });
      if (views.length) {
        results.push(...views);
        groups.push(views.length);
      }
    }
    return { results, groups };
  }

  private async generate(message: GenerateMessage | EditMessage): Promise<void> {
    const { requestId, prompt, model, size, n } = message;
    const edit = message.type === 'edit' ? editRequestOf(message) : undefined;
    if (this.running) {
      this.deps.log.warn('Generator panel: a generation is already running; the new request was ignored.');
      await this.postIfReady({
        type: 'generateDone',
        requestId,
        status: 'failed',
        added: 0,
        ...this.resultViews(),
      });
      return;
    }
    const controller = new AbortController();
    const running = { requestId, done: 0, total: n, controller };
    this.running = running;
    void this.postIfReady({ type: 'progress', requestId, done: 0, total: n });
    let items: readonly HistoryItem[] | undefined;
    let error: string | undefined;
    let run: OptionRun | undefined;
    try {
      const onProgress = (done: number, total: number) => {
        running.done = done;
        running.total = total;
        void this.postIfReady({ type: 'progress', requestId, done, total });
      };
      const onFailure = (reason: string) => (error = reason);
      if (message.type === 'edit') {
        if (!edit) {
          error = vscode.l10n.t('Only PNG, JPEG and WebP images can be used.');
          void this.deps.ui.error(error);
        }
        items = edit ? await this.deps.edit(edit, controller.signal, onFailure) : undefined;
      } else {
        run = await optionRun(this.deps, this.panel.webview, message, (m) => void this.postIfReady(m));
        items = await this.deps.generate(
          { prompt, model, size: size ?? '', n, extra: run.extra },
          controller.signal,
          onProgress,
          onFailure,
          run.onPartial,
        );
      }
    } catch (e) {
      this.deps.log.error(`Generator panel: generation failed: ${errorText(e)}`);
      items = undefined;
    } finally {
      this.running = undefined;
      void run?.done();
    }
    if (items?.length)
      this.resultGroups = addGroup(
        this.resultGroups,
        items.map((i) => i.id),
        MAX_RESULTS,
      );
    const status = items ? 'done' : controller.signal.aborted ? 'cancelled' : 'failed';
    await this.postIfReady({
      type: 'generateDone',
      requestId,
      status,
      added: items?.length ?? 0,
      ...this.resultViews(),
      error: status === 'failed' ? error : undefined,
    });
  }

  private async insert(item: HistoryItem, mode: 'file' | 'url'): Promise<Reply> {
    const ok = await this.deps.insert(item, mode, this.targetDocument);
    return { ok, message: ok ? vscode.l10n.t('Image inserted.') : undefined };
  }

  private onHistoryChanged(): void {
    if (!this.isReady || this.resultGroups.length === 0) return;
    // Items deleted in the gallery are left out, not forgotten: an Undo there brings them back here.
    void this.postIfReady({ type: 'results', ...this.resultViews() });
  }

  override dispose(): void {
    if (GeneratorPanel.currentPanel === this) GeneratorPanel.currentPanel = undefined;
    super.dispose();
    // A generation still running finishes into the gallery; the panel just stops listening.
    this.panel.dispose();
  }
}

/** Brings the panel back after a window reload, with the page's saved state. */
export class GeneratorPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly deps: WebviewDeps) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    GeneratorPanel.revive(this.deps, panel, state);
  }
}
